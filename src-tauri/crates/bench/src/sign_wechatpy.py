"""Baseline of the sign benchmark: wechatpy 1.8 signs, encodes, parses and checks the
same bodies that wxpay handles, and prints one JSON line with the count and the time."""

import json
import sys
import time

import xmltodict
from wechatpy.pay.utils import calculate_signature, calculate_signature_hmac, dict_to_xml


def signature(fields, key):
    if fields.get("sign_type") == "HMAC-SHA256":
        return calculate_signature_hmac(fields, key)
    return calculate_signature(fields, key)


def main():
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    key, bodies, ops, time_cap = job["key"], job["bodies"], job["ops"], job["time_cap_s"]
    failed = 0
    done = 0
    start = time.perf_counter()
    while done < ops:
        fields = bodies[done % len(bodies)]
        body = dict_to_xml(fields, signature(fields, key))
        received = dict(xmltodict.parse(body)["xml"])
        sign = received.pop("sign")
        if sign != signature(received, key):
            failed += 1
        done += 1
        if done % 1000 == 0 and time.perf_counter() - start > time_cap:
            break
    seconds = time.perf_counter() - start
    print(json.dumps({"ops": done, "seconds": seconds, "failed": failed}))


main()
