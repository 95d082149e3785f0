//! The `communique` binary: parses the command line and hands over to the library.

/// Pages are built from many short-lived buffers (the statement's JSON, the rendered
/// HTML, the compressed body); mimalloc serves them from thread-local pages instead of
/// glibc's arenas, which also return memory to the kernel only for it to be zeroed again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    communique::cli::main()
}
