"""wechatpy 1.8's WeChatPay client against `wxmc sandbox` on 127.0.0.1: unifiedorder,
orderquery, closeorder, refund over mutual TLS, refundquery and downloadbill, with every
signed reply checked by wechatpy's signature code and by `wxmc verify`."""

import datetime

import pytest
import requests

from conftest import API_KEY, APPID, MCH_ID, WECHATPY_MISSING, run_wxmc

pytest.importorskip("wechatpy.pay", reason=WECHATPY_MISSING)
from wechatpy.exceptions import WeChatPayException  # noqa: E402
from wechatpy.pay import WeChatPay  # noqa: E402
from wechatpy.pay.utils import calculate_signature_hmac, dict_to_xml  # noqa: E402

# Not on loopback, so the simulator sends no payment notify for these orders.
NOTIFY_URL = "https://shop.example.com/wxpay/notify"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def make_client(sandbox, with_certificate=True):
    """Return a WeChatPay client aimed at the simulator, trusting only its CA."""
    certificate = {}
    if with_certificate:
        certificate = {"mch_cert": str(sandbox.cert_pem), "mch_key": str(sandbox.key_pem)}
    client = WeChatPay(APPID, API_KEY, MCH_ID, timeout=10, **certificate)
    client.API_BASE_URL = sandbox.base_url + "/"
    # No proxy from the environment: every request goes straight to 127.0.0.1.
    client._http.trust_env = False
    client._http.verify = str(sandbox.ca_pem)
    return client


@pytest.fixture(scope="module")
def client(sandbox):
    return make_client(sandbox)


def assert_signed_both_ways(wxmc, reply, sign_type="MD5"):
    """Check a reply's signature with wechatpy's code and again with `wxmc verify`."""
    if sign_type == "MD5":
        assert WeChatPay(APPID, API_KEY, MCH_ID).check_signature(reply)
    else:
        fields = {name: value for name, value in reply.items() if name != "sign"}
        assert reply["sign"] == calculate_signature_hmac(fields, API_KEY)
    fields = {name: value for name, value in reply.items() if name != "sign" and value}
    result = run_wxmc(wxmc, ["verify", "--key", API_KEY], dict_to_xml(fields, reply["sign"]))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == sign_type


def place_native_order(client, out_trade_no, total_fee, **extra):
    return client.order.create(
        trade_type="NATIVE",
        body="互通测试商品",
        total_fee=total_fee,
        notify_url=NOTIFY_URL,
        client_ip="127.0.0.1",
        out_trade_no=out_trade_no,
        product_id="SKU-" + out_trade_no,
        attach="门店：南山店",
        **extra,
    )


def pay_through_admin(sandbox, out_trade_no):
    response = requests.post(
        f"{sandbox.base_url}/sandbox/admin/orders/{out_trade_no}/pay",
        json={},
        verify=str(sandbox.ca_pem),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["paid"] is True


def test_unifiedorder_native(client, wxmc):
    reply = place_native_order(client, "IOP-NATIVE-0001", 101)

    assert reply["return_code"] == "SUCCESS"
    assert reply["result_code"] == "SUCCESS"
    assert reply["trade_type"] == "NATIVE"
    assert reply["prepay_id"]
    assert reply["code_url"].startswith("weixin://wxpay/bizpayurl")
    assert_signed_both_ways(wxmc, reply)


def test_unifiedorder_hmac_sha256(client, wxmc):
    reply = place_native_order(client, "IOP-HMAC-0001", 102, sign_type="HMAC-SHA256")

    assert reply["result_code"] == "SUCCESS"
    assert len(reply["sign"]) == 64
    assert_signed_both_ways(wxmc, reply, sign_type="HMAC-SHA256")


def test_orderquery_before_and_after_payment(client, sandbox, wxmc):
    place_native_order(client, "IOP-QUERY-0001", 2_500)

    unpaid = client.order.query(out_trade_no="IOP-QUERY-0001")
    pay_through_admin(sandbox, "IOP-QUERY-0001")
    paid = client.order.query(out_trade_no="IOP-QUERY-0001")

    assert unpaid["trade_state"] == "NOTPAY"
    assert_signed_both_ways(wxmc, unpaid)
    assert paid["trade_state"] == "SUCCESS"
    assert paid["total_fee"] == "2500"
    assert paid["attach"] == "门店：南山店"
    assert paid["transaction_id"]
    assert_signed_both_ways(wxmc, paid)


def test_orderquery_unknown_order(client):
    with pytest.raises(WeChatPayException) as raised:
        client.order.query(out_trade_no="IOP-NO-SUCH-ORDER")

    assert raised.value.errcode == "ORDERNOTEXIST"


def test_closeorder(client, wxmc):
    place_native_order(client, "IOP-CLOSE-0001", 300)

    reply = client.order.close("IOP-CLOSE-0001")
    state = client.order.query(out_trade_no="IOP-CLOSE-0001")

    assert reply["result_code"] == "SUCCESS"
    assert_signed_both_ways(wxmc, reply)
    assert state["trade_state"] == "CLOSED"


def test_refund_and_refundquery(client, sandbox, wxmc):
    place_native_order(client, "IOP-REFUND-0001", 1_000)
    pay_through_admin(sandbox, "IOP-REFUND-0001")

    refund = client.refund.apply(
        total_fee=1_000,
        refund_fee=400,
        out_refund_no="IOP-R-0001",
        out_trade_no="IOP-REFUND-0001",
        refund_desc="互通测试退款",
    )
    query = client.refund.query(out_refund_no="IOP-R-0001")

    assert refund["result_code"] == "SUCCESS"
    assert refund["out_refund_no"] == "IOP-R-0001"
    assert refund["refund_fee"] == "400"
    assert refund["refund_id"]
    assert_signed_both_ways(wxmc, refund)
    assert query["out_refund_no_0"] == "IOP-R-0001"
    assert query["refund_fee_0"] == "400"
    assert query["refund_status_0"] in ("PROCESSING", "SUCCESS")
    assert_signed_both_ways(wxmc, query)


def test_refund_without_certificate_fails(client, sandbox):
    uncertified = make_client(sandbox, with_certificate=False)
    place_native_order(uncertified, "IOP-NOCERT-0001", 500)
    pay_through_admin(sandbox, "IOP-NOCERT-0001")

    # The simulator either ends the TLS handshake or replies FAIL, so no refund is made.
    with pytest.raises((WeChatPayException, requests.exceptions.RequestException)):
        uncertified.refund.apply(
            total_fee=500,
            refund_fee=500,
            out_refund_no="IOP-R-NOCERT",
            out_trade_no="IOP-NOCERT-0001",
        )
    with pytest.raises(WeChatPayException) as raised:
        client.refund.query(out_refund_no="IOP-R-NOCERT")

    assert raised.value.errcode == "REFUNDNOTEXIST"


def test_downloadbill_all(client):
    # The bill of day D is ready from 10:00 Beijing time on D+1, so the day before yesterday
    # always has one, whatever the hour.
    bill_date = datetime.datetime.now(BEIJING).date() - datetime.timedelta(days=2)

    bill = client.tools.download_bill(bill_date, bill_type="ALL")

    assert isinstance(bill, str), bill
    header = bill.lstrip("\ufeff").splitlines()[0]
    assert header.startswith("交易时间,公众账号ID,商户号")
    assert "总交易单数" in bill
    assert f"`{APPID}" in bill
