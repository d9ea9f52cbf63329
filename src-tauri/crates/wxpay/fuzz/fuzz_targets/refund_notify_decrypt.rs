#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wxpay_fuzz::refund_notify_decrypt(data));
