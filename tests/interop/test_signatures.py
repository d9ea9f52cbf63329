"""v2 signatures both ways between wechatpy 1.8 and `wxmc sign` / `wxmc verify`, with MD5
and HMAC-SHA256, over bodies with Chinese text, empty fields and indexed fields."""

import pytest

from conftest import API_KEY, APPID, MCH_ID, WECHATPY_MISSING, run_wxmc

pytest.importorskip("wechatpy.pay", reason=WECHATPY_MISSING)
from wechatpy.pay import WeChatPay  # noqa: E402
from wechatpy.pay.utils import (  # noqa: E402
    calculate_signature,
    calculate_signature_hmac,
    dict_to_xml,
)

OTHER_KEY = "Another0Key1Of2The3Same4Shape567"

BODIES = {
    "unifiedorder_chinese": {
        "appid": APPID,
        "mch_id": MCH_ID,
        "nonce_str": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "body": "腾讯充值中心-QQ会员充值",
        "attach": "门店：深圳南山店 & 收银台 3 <会员>",
        "out_trade_no": "20261204093000001",
        "total_fee": "888",
        "spbill_create_ip": "127.0.0.1",
        "notify_url": "https://shop.example.com/wxpay/notify",
        "trade_type": "NATIVE",
        "product_id": "SKU-12235413214070356458058",
    },
    "empty_fields": {
        "appid": APPID,
        "mch_id": MCH_ID,
        "nonce_str": "ibuaiVcKdpRxkhJA",
        "device_info": "",
        "attach": "",
        "body": "空字段测试",
        "out_trade_no": "EMPTY0001",
        "total_fee": "1",
        "goods_tag": "",
    },
    "indexed_refundquery_reply": {
        "return_code": "SUCCESS",
        "return_msg": "OK",
        "result_code": "SUCCESS",
        "appid": APPID,
        "mch_id": MCH_ID,
        "nonce_str": "TeqClE3i0mvn3DrK",
        "transaction_id": "4200001234202612041234567890",
        "out_trade_no": "20261204093000001",
        "total_fee": "888",
        "cash_fee": "788",
        "refund_count": "2",
        "out_refund_no_0": "R20261204001",
        "refund_id_0": "50000000012026120400000001",
        "refund_fee_0": "300",
        "refund_status_0": "SUCCESS",
        "refund_recv_accout_0": "支付用户的零钱",
        "refund_success_time_0": "2026-12-04 10:00:00",
        "coupon_refund_count_0": "1",
        "coupon_refund_id_0_0": "10000000000001",
        "coupon_refund_fee_0_0": "100",
        "coupon_type_0_0": "CASH",
        "out_refund_no_1": "R20261204002",
        "refund_id_1": "50000000012026120400000002",
        "refund_fee_1": "200",
        "refund_status_1": "PROCESSING",
        "refund_recv_accout_1": "招商银行信用卡0403",
    },
}

SIGN_TYPES = {
    "MD5": calculate_signature,
    "HMAC-SHA256": calculate_signature_hmac,
}


def body_for(name, sign_type, declare):
    """Return a copy of body `name`, with sign_type added for HMAC-SHA256 when `declare`."""
    fields = dict(BODIES[name])
    if sign_type == "HMAC-SHA256" and declare:
        fields["sign_type"] = "HMAC-SHA256"
    return fields


def as_lines(fields):
    return "".join(f"{name}={value}\n" for name, value in fields.items())


@pytest.mark.parametrize("name", sorted(BODIES))
@pytest.mark.parametrize("sign_type", sorted(SIGN_TYPES))
@pytest.mark.parametrize("declare", [True, False], ids=["declared", "by_length"])
def test_wxmc_verifies_wechatpy_signature(wxmc, name, sign_type, declare):
    fields = body_for(name, sign_type, declare)
    signature = SIGN_TYPES[sign_type](fields, API_KEY)
    body = dict_to_xml(fields, signature)

    result = run_wxmc(wxmc, ["verify", "--key", API_KEY], body)

    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == sign_type


@pytest.mark.parametrize("name", sorted(BODIES))
@pytest.mark.parametrize("sign_type", sorted(SIGN_TYPES))
def test_wxmc_rejects_tampered_body(wxmc, name, sign_type):
    fields = body_for(name, sign_type, declare=True)
    signature = SIGN_TYPES[sign_type](fields, API_KEY)
    fields["out_trade_no"] = fields["out_trade_no"] + "9"
    body = dict_to_xml(fields, signature)

    result = run_wxmc(wxmc, ["verify", "--key", API_KEY], body)

    assert result.returncode == 1, result.stdout.decode() + result.stderr.decode()


@pytest.mark.parametrize("sign_type", sorted(SIGN_TYPES))
def test_wxmc_rejects_other_key(wxmc, sign_type):
    fields = body_for("unifiedorder_chinese", sign_type, declare=True)
    body = dict_to_xml(fields, SIGN_TYPES[sign_type](fields, OTHER_KEY))

    result = run_wxmc(wxmc, ["verify", "--key", API_KEY], body)

    assert result.returncode == 1


@pytest.mark.parametrize("name", sorted(BODIES))
@pytest.mark.parametrize("sign_type", sorted(SIGN_TYPES))
@pytest.mark.parametrize("form", ["xml", "lines"])
def test_wechatpy_agrees_with_wxmc_sign(wxmc, name, sign_type, form):
    fields = body_for(name, sign_type, declare=True)
    stdin_text = dict_to_xml(fields) if form == "xml" else as_lines(fields)

    result = run_wxmc(wxmc, ["sign", "--key", API_KEY, "--sign-type", sign_type], stdin_text)

    assert result.returncode == 0, result.stderr.decode()
    signature = result.stdout.decode().strip()
    assert signature == SIGN_TYPES[sign_type](fields, API_KEY)
    assert len(signature) == (32 if sign_type == "MD5" else 64)


@pytest.mark.parametrize("name", sorted(BODIES))
def test_wechatpy_check_signature_accepts_wxmc_md5(wxmc, name):
    fields = body_for(name, "MD5", declare=False)
    result = run_wxmc(wxmc, ["sign", "--key", API_KEY], dict_to_xml(fields))
    assert result.returncode == 0, result.stderr.decode()
    client = WeChatPay(APPID, API_KEY, MCH_ID)

    signed = dict(fields, sign=result.stdout.decode().strip())

    assert client.check_signature(signed)
    assert not client.check_signature(dict(signed, total_fee="2"))
