//! The command line: `parse`, `import`, `reparse`, `remove`, `serve`, `export`.

use std::process::ExitCode;

/// Runs the command line and returns the process status.
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
