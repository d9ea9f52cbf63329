//! `wxmc sign` and `wxmc verify` against WeChat's published example, in both input forms,
//! with every key source and every way a signature can be rejected.

mod support;

use support::{run, wxmc, DEMO_KEY, EXAMPLE_HMAC, EXAMPLE_LINES, EXAMPLE_MD5};

fn example_xml(extra: &str) -> String {
    format!(
        "<xml><appid>wxd930ea5d5a258f4f</appid><mch_id>10000100</mch_id>\
         <device_info>1000</device_info><body>test</body>\
         <nonce_str>ibuaiVcKdpRxkhJA</nonce_str>{extra}</xml>"
    )
}

#[test]
fn sign_lines_md5_by_default() {
    let run = run(&["sign", "--key", DEMO_KEY], EXAMPLE_LINES.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{EXAMPLE_MD5}\n"));
}

#[test]
fn sign_xml_hmac_sha256() {
    let run = run(
        &["sign", "--key", DEMO_KEY, "--sign-type", "HMAC-SHA256"],
        example_xml("").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), EXAMPLE_HMAC);
}

#[test]
fn sign_follows_body_sign_type() {
    let body = example_xml("<sign_type>HMAC-SHA256</sign_type>");
    let run = run(&["sign", "--key", DEMO_KEY], body.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // sign_type itself is signed, so the value differs from the example's.
    assert_eq!(run.stdout.trim().len(), 64);
    assert_ne!(run.stdout.trim(), EXAMPLE_HMAC);
}

#[test]
fn sign_explain_masks_key() {
    let run = run(
        &["sign", "--key", DEMO_KEY, "--explain"],
        EXAMPLE_LINES.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("sign_type: MD5\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "string_to_sign: appid=wxd930ea5d5a258f4f&body=test&device_info=1000\
             &mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=****\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&format!("sign: {EXAMPLE_MD5}\n")));
    assert!(!run.stdout.contains(DEMO_KEY));
    assert!(!run.stderr.contains(DEMO_KEY));
}

#[test]
fn sign_reads_key_file_and_variable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apikey.txt");
    std::fs::write(&path, format!("{DEMO_KEY}\nsecond line is ignored\n")).unwrap();
    let from_file = run(
        &["sign", "--key-file", path.to_str().unwrap()],
        EXAMPLE_LINES.as_bytes(),
    );
    assert_eq!(from_file.stdout.trim(), EXAMPLE_MD5, "{}", from_file.stderr);

    let from_variable = support::run_command(
        wxmc().arg("sign").env("WXMC_API_KEY", DEMO_KEY),
        EXAMPLE_LINES.as_bytes(),
    );
    assert_eq!(
        from_variable.stdout.trim(),
        EXAMPLE_MD5,
        "{}",
        from_variable.stderr
    );
}

#[test]
fn sign_rejects_missing_and_bad_keys() {
    let missing = run(&["sign"], EXAMPLE_LINES.as_bytes());
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no API key given"),
        "{}",
        missing.stderr
    );

    let short = run(&["sign", "--key", "short"], EXAMPLE_LINES.as_bytes());
    assert_eq!(short.code, 2);
    assert!(short.stderr.contains("invalid API key"), "{}", short.stderr);

    let both = run(
        &["sign", "--key", DEMO_KEY, "--key-file", "/nonexistent"],
        EXAMPLE_LINES.as_bytes(),
    );
    assert_eq!(both.code, 2);
}

#[test]
fn sign_rejects_malformed_input() {
    let run = run(&["sign", "--key", DEMO_KEY], b"appid=1\nnot a pair\n");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
}

#[test]
fn sign_xml_output_verifies() {
    let signed = run(
        &["sign", "--key", DEMO_KEY, "--xml"],
        EXAMPLE_LINES.as_bytes(),
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert!(signed
        .stdout
        .contains(&format!("<sign><![CDATA[{EXAMPLE_MD5}]]></sign>")));
    let verified = run(&["verify", "--key", DEMO_KEY], signed.stdout.as_bytes());
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert_eq!(verified.stdout, "MD5\n");
}

#[test]
fn verify_example_both_algorithms() {
    for (sign, name) in [(EXAMPLE_MD5, "MD5"), (EXAMPLE_HMAC, "HMAC-SHA256")] {
        let body = example_xml(&format!("<sign>{sign}</sign>"));
        let run = run(&["verify", "--key", DEMO_KEY], body.as_bytes());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout.trim(), name);
    }
    let lines = format!("{EXAMPLE_LINES}sign={EXAMPLE_MD5}\n");
    let run = run(&["verify", "--key", DEMO_KEY], lines.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn verify_tampered_body_exits_1() {
    let body = example_xml(&format!("<sign>{EXAMPLE_MD5}</sign>")).replace("test", "test2");
    let run = run(&["verify", "--key", DEMO_KEY], body.as_bytes());
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("does not match"), "{}", run.stderr);
    assert!(run.stderr.contains("mismatch (MD5)"), "{}", run.stderr);
}

#[test]
fn verify_wrong_key_exits_1() {
    let body = example_xml(&format!("<sign>{EXAMPLE_MD5}</sign>"));
    let run = run(
        &["verify", "--key", "00000000000000000000000000000000"],
        body.as_bytes(),
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("mismatch"), "{}", run.stderr);
}

#[test]
fn verify_missing_and_short_sign_exit_1() {
    let missing = run(&["verify", "--key", DEMO_KEY], example_xml("").as_bytes());
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("signature missing"),
        "{}",
        missing.stderr
    );

    let short = run(
        &["verify", "--key", DEMO_KEY],
        example_xml("<sign>ABC123</sign>").as_bytes(),
    );
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("6 characters"), "{}", short.stderr);
}

#[test]
fn verify_unusable_input_exits_2() {
    let broken = run(&["verify", "--key", DEMO_KEY], b"<xml><a>1</a>");
    assert_eq!(broken.code, 2);
    assert!(
        broken.stderr.contains("XML body rejected"),
        "{}",
        broken.stderr
    );

    let empty = run(&["verify", "--key", DEMO_KEY], b"");
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("empty"), "{}", empty.stderr);
}

#[test]
fn sign_reads_profile_key_from_keyring() {
    if std::env::var("WXMC_REAL_KEYRING").as_deref() != Ok("1") {
        eprintln!(
            "note: WXMC_REAL_KEYRING is not 1, so this test is skipped (run it under .ci/session)"
        );
        return;
    }
    let profile = format!("wxmc-test-{}", std::process::id());
    let vault = vault::Vault::keyring();
    vault
        .set(
            &profile,
            vault::SecretKind::ApiKey,
            &vault::Secret::new(DEMO_KEY.to_owned()),
        )
        .expect("store the key in the keyring");

    let signed = run(&["sign", "--profile", &profile], EXAMPLE_LINES.as_bytes());
    let absent = run(
        &["sign", "--profile", "wxmc-test-absent"],
        EXAMPLE_LINES.as_bytes(),
    );
    vault.delete_profile(&profile).expect("remove the test key");

    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert_eq!(signed.stdout.trim(), EXAMPLE_MD5);
    assert_eq!(absent.code, 2);
    assert!(
        absent.stderr.contains("wxmc-test-absent"),
        "{}",
        absent.stderr
    );
}
