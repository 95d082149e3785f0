use communique::db::search::{search, Filters, Request, SearchCache, Sort};
use communique::search::Query;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let pool = communique::db::connect(&args[1]).await?;
    let cache = SearchCache::new(0);
    let t = Instant::now();
    cache.load_index(&pool).await?;
    eprintln!("index {:?}", t.elapsed());
    for q in &args[3..] {
        let plan = Query::parse(q).plan();
        let filters = Filters::default();
        let sort = if args[2] == "newest" {
            Sort::Newest
        } else {
            Sort::Relevance
        };
        let mut times = Vec::new();
        for _ in 0..7 {
            let req = Request {
                plan: &plan,
                filters: &filters,
                sort,
                group: false,
                limit: 20,
                offset: 0,
                cache: Some(&cache),
            };
            let t = Instant::now();
            let r = search(&pool, &req).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(r);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        eprintln!("{q}: min {:.1} med {:.1} ms", times[0], times[3]);
    }
    Ok(())
}
