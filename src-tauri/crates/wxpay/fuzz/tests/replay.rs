//! Replays every fuzz target's inputs on stable Rust, without libFuzzer: the generated
//! seeds, then whatever `corpus/<target>/` and `artifacts/<target>/` hold from earlier
//! `cargo fuzz` runs. Run with `cargo test --no-default-features`.

use std::path::{Path, PathBuf};

type Body = fn(&[u8]);

const TARGETS: [(&str, Body); 3] = [
    ("xml_decode", wxpay_fuzz::xml_decode),
    ("bill_parse", wxpay_fuzz::bill_parse),
    ("refund_notify_decrypt", wxpay_fuzz::refund_notify_decrypt),
];

fn body_of(target: &str) -> Body {
    TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, body)| *body)
        .unwrap_or_else(|| panic!("seed for unknown target {target}"))
}

#[test]
fn seeds_run_cleanly() {
    let seeds = wxpay_fuzz::seeds::all();
    for (target, _) in TARGETS {
        assert!(
            seeds.iter().any(|seed| seed.target == target),
            "{target} has no seed"
        );
    }
    for seed in seeds {
        body_of(seed.target)(&seed.bytes);
    }
}

#[test]
fn bill_seeds_parse() {
    for seed in wxpay_fuzz::seeds::all() {
        let text = std::str::from_utf8(&seed.bytes).unwrap();
        match seed.name {
            "success_layout" | "all_layout_crlf_bom" => {
                let bill = wxpay::bill::parse_bill(text).unwrap();
                assert!(!bill.rows.is_empty(), "{}", seed.name);
            }
            "fund_flow" => {
                let flow = wxpay::bill::parse_fund_flow(text).unwrap();
                assert_eq!(flow.rows.len(), 1);
            }
            _ => {}
        }
    }
}

#[test]
fn refund_notify_seed_decrypts() {
    let key = wxpay::ApiKey::new(wxpay_fuzz::FUZZ_KEY.to_owned()).unwrap();
    let seeds = wxpay_fuzz::seeds::all();
    let notify = seeds.iter().find(|seed| seed.name == "notify").unwrap();
    let parsed = wxpay::parse_refund_notify(&notify.bytes, &key).unwrap();
    assert_eq!(parsed.out_refund_no, "R1");
}

fn files_in(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect()
}

#[test]
fn saved_inputs_run_cleanly() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut replayed = 0;
    for (target, body) in TARGETS {
        for folder in ["corpus", "artifacts"] {
            for path in files_in(&root.join(folder).join(target)) {
                let bytes = std::fs::read(&path).unwrap();
                body(&bytes);
                replayed += 1;
            }
        }
    }
    eprintln!("replayed {replayed} saved inputs");
}
