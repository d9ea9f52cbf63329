//! Writes the generated seed inputs into `corpus/<target>/`, the folder `cargo fuzz run`
//! reads and grows.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for seed in wxpay_fuzz::seeds::all() {
        let folder = root.join(seed.target);
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("seed-{}", seed.name)), &seed.bytes)?;
    }
    Ok(())
}
