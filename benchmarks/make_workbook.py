#!/usr/bin/env python3
"""Generate a realistic customer workbook to import: what a team keeps in Excel.

    python benchmarks/make_workbook.py OUT_DIR --accounts 1000 [--bad-every 50]

writes OUT_DIR/客户台账.xlsx (sheets 客户资料 — a title row, merged group headings over
Chinese headers — 联系人 and 开票记录) and OUT_DIR/拜访记录.csv (GBK, as Chinese Excel
saves a CSV). Every `bad_every`-th row carries one bad cell, of a kind that cycles;
`write_workbook` returns them as (file, sheet, cell, header) so tests can check that the
report names each one. Reps are 张伟 (zhangwei) and 李娜 (lina), as in tests/conftest.py.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from pathlib import Path
from typing import Any, NamedTuple

CITIES = ("杭州", "宁波", "绍兴", "嘉兴", "湖州")
WORDS = ("星河", "远帆", "禾丰", "知岸", "澄湖", "瀚墨", "拓岭", "映山", "衡川", "青川", "溪岚", "朗越",
         "北辰", "苍梧", "云湖", "鸿渚", "沐泽", "蓝汐", "江枫", "汀兰")
TRADES = ("燃气", "纺织", "数据科技", "冷链物流", "日化", "智能装备", "电机", "食品", "新材料", "水务")
FORMS = ("有限公司", "股份有限公司", "集团有限公司")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "红梅", "晓燕", "伟", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟")
TITLES = ("采购总监", "总经理", "技术部经理", "财务经理", "设备科科长", "采购专员")
REPS = ("张伟", "李娜")
CARD_HEADERS = ("序号", "客户名称", "统一社会信用代码", "客户等级", "负责业务员", "地址", "信用额度（元）", "账期",
                "年销售额（万元）", "联系人", "职务", "电话", "最近拜访", "下次拜访")
GROUPS = (("基本信息", 1, 5), ("信用", 6, 8), ("联系人", 9, 11), ("拜访", 12, 13))


class BadCell(NamedTuple):
    file: str
    sheet: str | None
    cell: str  # e.g. L12
    header: str  # the header label as kacard reports it


def company(i: int) -> str:
    return (CITIES[i % len(CITIES)] + WORDS[(i // 5) % len(WORDS)] + TRADES[(i // 100) % len(TRADES)]
            + (str(i // 1000) if i >= 1000 else "") + FORMS[i % len(FORMS)])


def credit_code(i: int) -> str:
    from kacard.team.import_match import with_check_char

    return with_check_char(f"91330100MA2{i:06d}")


def phone(i: int, prefix: str = "13") -> str:
    return f"{prefix}{i % 10}{i:08d}"[:11]


def _letter(c: int) -> str:
    from kacard.team.import_read import column_letter

    return column_letter(c)


def write_workbook(out: Path, accounts: int, *, bad_every: int = 0, seed: int = 7,
                   start: int = 0) -> tuple[Path, Path, list[BadCell]]:
    """The workbook and the GBK CSV of visits for `accounts` accounts (numbered from
    `start`), and the bad cells sprinkled in (none when bad_every is 0)."""
    from openpyxl import Workbook

    rnd = random.Random(seed)
    book_path, csv_path = out / "客户台账.xlsx", out / "拜访记录.csv"
    bad: list[BadCell] = []
    book = Workbook()
    cards = book.active
    cards.title = "客户资料"
    cards.append(["客户资料卡（" + str(accounts) + "家）"])
    cards.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CARD_HEADERS))
    heading = [""] * len(CARD_HEADERS)
    for text, first, _last in GROUPS:
        heading[first] = text
    cards.append(heading)
    for _text, first, last in GROUPS:
        cards.merge_cells(start_row=2, start_column=first + 1, end_row=2, end_column=last + 1)
    cards.append(list(CARD_HEADERS))
    labels = [_label(c) for c in range(len(CARD_HEADERS))]
    kinds = ("phone", "tier", "limit", "date", "owner")
    for n, i in enumerate(range(start, start + accounts)):
        last = dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randrange(300))
        row: list[Any] = [n + 1, company(i), credit_code(i), "ABC"[i % 3] + "类", REPS[i % 2],
                          f"浙江省{CITIES[i % 5]}市{WORDS[i % 20]}路{i % 300 + 1}号", 10000 * (i % 50 + 1),
                          f"{(30, 60, 90)[i % 3]}天", round(rnd.uniform(10, 900), 1),
                          SURNAMES[i % 20] + GIVEN[i % 12], TITLES[i % 6], phone(i), last,
                          last + dt.timedelta(days=14)]
        excel_row = n + 4
        if bad_every and n % bad_every == bad_every - 1:
            kind = kinds[(n // bad_every) % len(kinds)]
            column = {"phone": 11, "tier": 3, "limit": 6, "date": 12, "owner": 4}[kind]
            row[column] = {"phone": "12345", "tier": "D类", "limit": "十万", "date": "2026-13-01",
                           "owner": "赵六"}[kind]
            bad.append(BadCell(book_path.name, "客户资料", f"{_letter(column)}{excel_row}", labels[column]))
        cards.append(row)
    contacts = book.create_sheet("联系人")
    contacts.append(["客户名称", "姓名", "职务", "手机", "邮箱"])
    for n, i in enumerate(range(start, start + accounts)):
        email = f"c{i}@example.com"
        if bad_every and n % bad_every == 1:
            email = "wang@"
            bad.append(BadCell(book_path.name, "联系人", f"E{n + 2}", "邮箱"))
        contacts.append([company(i), SURNAMES[(i + 3) % 20] + GIVEN[(i + 5) % 12], TITLES[(i + 2) % 6],
                         phone(i, "15"), email])
    trades = book.create_sheet("开票记录")
    trades.append(["客户名称", "开票日期", "发票号", "金额", "毛利", "回款日期"])
    r = 1
    for n, i in enumerate(range(start, start + accounts)):
        for k in range(2):
            r += 1
            date = dt.date(2026, 1, 15) + dt.timedelta(days=90 * k + i % 60)
            amount: Any = 1000 * rnd.randrange(20, 900)
            if bad_every and n % bad_every == 2 and k == 0:
                amount = "abc"
                bad.append(BadCell(book_path.name, "开票记录", f"D{r}", "金额"))
            trades.append([company(i), date, f"INV-{i:06d}-{k}", amount, round(amount * 0.2) if k else None,
                           date + dt.timedelta(days=45) if k == 0 else None])
    book.save(book_path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["客户名称", "拜访日期", "业务员", "拜访方式", "拜访内容", "下次拜访日期", "下一步行动"])
    r = 1
    for n, i in enumerate(range(start, start + accounts)):
        r += 1
        date: Any = (dt.date(2026, 2, 1) + dt.timedelta(days=i % 200)).isoformat()
        if bad_every and n % bad_every == 3:
            date = "昨天"
            bad.append(BadCell(csv_path.name, None, f"B{r}", "拜访日期"))
        writer.writerow([company(i), date, REPS[i % 2], ("拜访", "电话")[i % 2], "了解明年采购计划，客户关注交付周期",
                         "2026-12-0" + str(i % 9 + 1), "提交报价"])
    csv_path.write_bytes(buffer.getvalue().encode("gbk"))
    return book_path, csv_path, bad


def _label(c: int) -> str:
    group = next((g for g, first, last in GROUPS if first <= c <= last), None)
    header = CARD_HEADERS[c]
    return f"{group}/{header}" if group and group != header else header


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--bad-every", type=int, default=0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    book, visits, bad = write_workbook(args.out, args.accounts, bad_every=args.bad_every)
    print(f"wrote {book} and {visits} ({len(bad)} bad cells)")


if __name__ == "__main__":
    main()
