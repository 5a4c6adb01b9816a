"""A synthetic catalogue shaped like Guizhou's, written as YAML files in the real format.

    departments.yaml   regions (province, cities, counties) x bureaus
    data_elements.yaml subjects x attributes, plus tiered elements that items output
    certificates.yaml  external types (held by registers) and tiered types items issue
    registers.yaml     every certificate that is needed but never issued, and shared elements
    items/<code>.yaml  bundle items, then stand-alone items
    bundles/<code>.yaml

Dependencies cannot form a cycle: every certificate and output element has a tier, an item
of tier t issues or outputs only things of tier t and needs only things of lower tiers. A
bundle is drawn as a DAG (chain, diamonds, layers, or parallel groups); a node's tier is its
depth, and it needs what its parents issue or output.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Doc = dict[str, Any]
Edges = list[tuple[int, int]]

CITIES = ["5201", "5202", "5203", "5204", "5205", "5206", "5223", "5226", "5227"]
BUREAUS = [
    ("gaj", "公安局", "Public Security Bureau"),
    ("mzj", "民政局", "Civil Affairs Bureau"),
    ("rsj", "人力资源和社会保障局", "HR and Social Security Bureau"),
    ("ybj", "医疗保障局", "Medical Insurance Bureau"),
    ("swj", "税务局", "Tax Bureau"),
    ("scjgj", "市场监督管理局", "Market Regulation Bureau"),
    ("wjw", "卫生健康局", "Health Commission"),
    ("jyj", "教育局", "Education Bureau"),
    ("zjj", "住房和城乡建设局", "Housing and Construction Bureau"),
    ("zrzyj", "自然资源局", "Natural Resources Bureau"),
    ("jtj", "交通运输局", "Transport Bureau"),
    ("bdc", "不动产登记中心", "Real Estate Registration Centre"),
    ("sfj", "司法局", "Justice Bureau"),
    ("tyjrj", "退役军人事务局", "Veterans Affairs Bureau"),
    ("yjj", "应急管理局", "Emergency Bureau"),
    ("sthj", "生态环境局", "Ecology Bureau"),
    ("slj", "水务局", "Water Bureau"),
    ("nyj", "农业农村局", "Agriculture Bureau"),
    ("wlj", "文化和旅游局", "Culture and Tourism Bureau"),
    ("gjj", "住房公积金中心", "Housing Fund Centre"),
    ("zwfw", "政务服务中心", "Government Service Centre"),
    ("cjr", "残疾人联合会", "Disabled Persons' Federation"),
    ("xfjy", "消防救援大队", "Fire Brigade"),
    ("dsj", "大数据发展管理局", "Big Data Bureau"),
    ("tjj", "统计局", "Statistics Bureau"),
    ("gxj", "工业和信息化局", "Industry Bureau"),
    ("sww", "商务局", "Commerce Bureau"),
    ("lyj", "林业局", "Forestry Bureau"),
    ("mzzj", "民族宗教事务局", "Ethnic Affairs Bureau"),
    ("dag", "档案馆", "Archives"),
    ("ylbz", "医疗保障经办中心", "Medical Insurance Agency"),
    ("sbzx", "社会保险事业局", "Social Insurance Agency"),
    ("hyj", "婚姻登记处", "Marriage Registry"),
    ("crj", "出入境管理大队", "Exit and Entry Office"),
    ("jgj", "交通警察支队", "Traffic Police"),
    ("dl", "供电局", "Power Supply Bureau"),
    ("rq", "燃气公司", "Gas Company"),
    ("ts", "通信管理局", "Telecommunications Bureau"),
    ("yc", "烟草专卖局", "Tobacco Monopoly Bureau"),
    ("qx", "气象局", "Meteorological Bureau"),
]
SUBJECTS = [
    "applicant",
    "child",
    "mother",
    "father",
    "spouse",
    "deceased",
    "company",
    "legal_rep",
    "agent",
    "property",
    "vehicle",
    "project",
]
ATTRIBUTES: list[tuple[str, str, str]] = [  # name, value type, personal-data class
    ("name", "text", "general"),
    ("id_number", "id_number", "sensitive"),
    ("birth_date", "date", "general"),
    ("gender", "enum", "general"),
    ("phone", "phone", "general"),
    ("address", "text", "general"),
    ("ethnicity", "enum", "sensitive"),
    ("nationality", "text", "general"),
    ("marital_status", "enum", "general"),
    ("education", "enum", "general"),
    ("occupation", "text", "general"),
    ("employer", "text", "general"),
    ("household_address", "text", "general"),
    ("postcode", "text", "none"),
    ("email", "text", "general"),
    ("area_code", "area_code", "none"),
    ("income", "decimal", "sensitive"),
    ("bank_account", "text", "sensitive"),
    ("bank_name", "text", "none"),
    ("credit_code", "credit_code", "none"),
    ("registered_capital", "decimal", "none"),
    ("area_sqm", "decimal", "none"),
    ("start_date", "date", "none"),
    ("end_date", "date", "none"),
    ("count", "integer", "none"),
    ("remark", "text", "none"),
    ("agreed", "boolean", "none"),
    ("health_status", "enum", "sensitive"),
    ("insured", "boolean", "general"),
    ("registered_at", "datetime", "none"),
]
ENUM_OPTIONS = [("a", "甲", "A"), ("b", "乙", "B"), ("c", "丙", "C")]
CERT_TIERS = [50, 45, 35, 28, 20, 12, 8, 6, 5, 4, 4, 3]  # issued certificate types per tier
ELEMENT_TIERS = [30, 24, 18, 14, 10, 8, 5, 4, 3, 2, 1, 1]  # output data elements per tier
CERT_SUBJECTS = ["applicant"] * 6 + ["child", "company", "spouse", "property"]
QUESTION_OPTIONS = [
    ("yes", "no"),
    ("a", "b", "c"),
    ("employee", "resident", "none"),
    ("city", "county", "town", "village"),
]
FREE_MATERIALS = [
    "申请书",
    "承诺书",
    "委托书",
    "现场照片",
    "情况说明",
    "证明材料",
    "合同",
    "平面图",
    "检测报告",
    "身份证明复印件",
]


def text(zh: str, en: str) -> Doc:
    return {"zh": zh, "en": en}


@dataclass
class Dictionary:
    """The shared dictionaries and what, tier by tier, items may issue and output."""

    departments: list[Doc]
    elements: list[Doc]
    certificates: list[Doc]
    base_keys: list[str]
    external: list[str]
    issued: list[list[str]]  # certificate codes by tier
    outputs: list[list[str]]  # data-element keys by tier
    subject: dict[str, str]  # the subject every issued certificate type concerns


def departments(count: int, rng: random.Random) -> list[Doc]:
    regions = ["520000"] + [c + "00" for c in CITIES] + [f"{c}{n:02d}" for c in CITIES for n in range(1, 12)]
    pairs = [(r, b) for r in regions for b in BUREAUS]
    if count > len(pairs):
        pairs += [
            (r, (f"{b[0]}{n}", b[1], b[2]))
            for n in range(2, 2 + count // len(pairs))
            for r in regions
            for b in BUREAUS
        ]
    rng.shuffle(pairs)
    return [
        {
            "code": f"{region}-{bureau[0]}",
            "name": text(f"{region}{bureau[1]}", f"{bureau[2]} {region}"),
            "region": region,
        }
        for region, bureau in pairs[:count]
    ]


def _element(key: str, kind: str, personal: str) -> Doc:
    doc: Doc = {"key": key, "type": kind, "label": text(key, key), "personal": personal}
    if kind == "enum":
        doc["options"] = [{"code": c, "label": text(zh, en)} for c, zh, en in ENUM_OPTIONS]
    return doc


def dictionary(department_count: int, rng: random.Random) -> Dictionary:
    elements = [_element(f"{s}.{a}", kind, p) for s in SUBJECTS for a, kind, p in ATTRIBUTES]
    base = [e["key"] for e in elements]
    outputs = [[f"record.t{tier}_{n:03d}" for n in range(count)] for tier, count in enumerate(ELEMENT_TIERS)]
    elements += [_element(key, "text", "none") for tier in outputs for key in tier]
    external = [f"ext_{n:03d}" for n in range(80)]
    issued = [[f"cert_t{tier}_{n:03d}" for n in range(count)] for tier, count in enumerate(CERT_TIERS)]
    certificates = [
        {
            "code": code,
            "name": text(f"证照{code}", f"certificate {code}"),
            "elements": rng.sample(["name", "id_number", "birth_date", "address"], 2),
            "electronic": rng.random() < 0.8,
        }
        for code in external + [c for tier in issued for c in tier]
    ]
    subject = {c: rng.choice(CERT_SUBJECTS) for tier in issued for c in tier}
    return Dictionary(
        departments(department_count, rng), elements, certificates, base, external, issued, outputs, subject
    )


def shape(size: int, rng: random.Random) -> Edges:
    """Edges u -> v (u < v) of a bundle's dependency DAG over nodes 0..size-1."""
    kind = rng.choices(["chain", "diamonds", "layers", "groups"], [2, 3, 4, 1])[0]
    if kind == "chain":
        return [(i, i + 1) for i in range(size - 1)]
    if kind == "groups":  # independent chains that run side by side
        groups = rng.randint(2, 4)
        return [(i, i + groups) for i in range(size - groups)]
    layers: list[list[int]] = []
    node = 0
    while node < size:
        width = (
            (1 if len(layers) % 2 == 0 else rng.randint(2, 3)) if kind == "diamonds" else rng.randint(1, 4)
        )
        layers.append(list(range(node, min(size, node + width))))
        node += width
    edges: Edges = []
    for previous, layer in itertools.pairwise(layers):
        earlier = [n for group in layers[: layers.index(layer)] for n in group]
        for v in layer:
            parents = (
                set(previous)
                if kind == "diamonds"
                else {rng.choice(previous)} | set(rng.sample(earlier, min(len(earlier), rng.randint(0, 2))))
            )
            edges += [(u, v) for u in sorted(parents)]
    return edges


def depths(size: int, edges: Edges) -> list[int]:
    depth = [0] * size
    for u, v in sorted(edges, key=lambda e: e[1]):
        depth[v] = max(depth[v], depth[u] + 1)
    return depth


@dataclass
class Generator:
    d: Dictionary
    rng: random.Random
    items: dict[str, Doc] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)  # bundle roots other bundles may share

    def new_item(
        self, issues: str | None, output: str | None, needs: list[tuple[str, str]], inputs: list[str]
    ) -> str:
        rng, number = self.rng, len(self.items)
        department = rng.choice(self.d.departments)
        code = f"gz-{department['region']}-{number:05d}"
        immediate = rng.random() < 0.15
        promised = 0 if immediate else rng.choice([1, 2, 3, 5, 7, 10, 15, 20])
        free = rng.sample(FREE_MATERIALS, rng.randint(0, 3))
        materials = [
            {"name": text(f"{c}（{s}）", f"{c} of {s}"), "certificate": c, "subject": s} for c, s in needs
        ][:8]
        materials += [
            {
                "name": text(f, f),
                "form": rng.choice(["paper", "electronic", "both"]),
                "necessity": rng.choice(["required", "required", "optional", "later"]),
            }
            for f in free
        ][: max(0, 8 - len(materials))]
        if len(materials) < 2:
            materials += [
                {"name": text(f"补充材料{n}", f"supplement {n}")} for n in range(2 - len(materials))
            ]
        keys = rng.sample(self.d.base_keys, rng.randint(max(1, 3 - len(inputs)), 12 - len(inputs)))
        fields: list[Any] = [
            k if rng.random() < 0.8 else {"key": k, "required": False} for k in inputs + keys
        ]
        doc: Doc = {
            "code": code,
            "basic_code": "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=12)),
            "name": text(f"事项{number}", f"item {number}"),
            "department": department["code"],
            "item_type": rng.choice(["01", "05", "07", "20"]),
            "service_object": rng.choice("12"),
            "legal_basis": "《中华人民共和国行政许可法》",
            "fields": fields,
            "materials": materials,
            "promised_days": promised,
            "statutory_days": promised + rng.choice([0, 5, 10, 20]),
            "handling": "immediate" if immediate else "promised",
            "trips": rng.randint(0, 3),
            "presence_required": rng.random() < 0.1,
            "fee": {"charged": False},
            "deferrable": rng.random() < 0.05,
        }
        if rng.random() < 0.6:
            doc["form"] = text(f"事项{number}申请表", f"application form {number}")
        if issues:
            doc["issues"] = [{"certificate": issues, "subject": self.d.subject[issues]}]
        if output:
            doc["outputs"] = [output]
        self.items[code] = doc
        return code

    def external_needs(self, count: int) -> list[tuple[str, str]]:
        subjects = ["applicant", "applicant", "mother", "father", "spouse", "legal_rep"]
        return [(c, self.rng.choice(subjects)) for c in self.rng.sample(self.d.external, count)]

    def bundle_nodes(self, size: int, edges: Edges) -> list[str]:
        """Create (or share) the items of one bundle so that they depend on each other as `edges`."""
        tiers = depths(size, edges)
        by_tier = {t: self.rng.sample(self.d.issued[t], tiers.count(t)) for t in set(tiers)}
        issued = [by_tier[t].pop() for t in tiers]  # nodes of one tier issue different types
        codes: list[str] = []
        for node in range(size):
            parents = [u for u, v in edges if v == node]
            if not parents and self.roots and self.rng.random() < 0.25:
                shared = self.rng.choice(self.roots)
                if shared not in codes:
                    codes.append(shared)
                    issued[node] = self.items[shared]["issues"][0]["certificate"]
                    continue
            needs = [(issued[u], self.d.subject[issued[u]]) for u in parents]
            output = self.rng.choice(self.d.outputs[tiers[node]]) if self.rng.random() < 0.4 else None
            inputs = list(dict.fromkeys(o for u in parents for o in self.items[codes[u]].get("outputs", [])))
            codes.append(
                self.new_item(
                    issued[node], output, needs + self.external_needs(self.rng.randint(0, 2)), inputs
                )
            )
            if not parents:
                self.roots.append(codes[-1])
        return codes

    def standalone(self) -> str:
        tier = self.rng.choices(range(6), [30, 25, 20, 12, 8, 5])[0]
        lower = [c for t in range(tier) for c in self.d.issued[t]]
        picked = self.rng.sample(lower, min(len(lower), self.rng.randint(0, 2)))
        needs = [(c, self.d.subject[c]) for c in picked]
        issues = self.rng.choice(self.d.issued[tier]) if self.rng.random() < 0.6 else None
        return self.new_item(issues, None, needs + self.external_needs(self.rng.randint(1, 3)), [])


def rule(questions: list[Doc], rng: random.Random) -> str:
    """A SQL condition over one or two of the questions, naming only offered options."""

    def condition(question: Doc) -> str:
        options = [o["code"] for o in question["options"]]
        if len(options) > 2 and rng.random() < 0.5:
            chosen = ", ".join(f"'{o}'" for o in rng.sample(options, 2))
            return f"{question['code']} IN ({chosen})"
        return f"{question['code']} {rng.choice(['=', '<>'])} '{rng.choice(options)}'"

    picked = rng.sample(questions, min(len(questions), rng.randint(1, 2)))
    return f" {rng.choice(['AND', 'OR'])} ".join(condition(q) for q in picked)


def bundle_doc(number: int, codes: list[str], lead: str, rng: random.Random) -> Doc:
    questions = []
    for index in range(rng.randint(1, 4)):
        options = rng.choice(QUESTION_OPTIONS)
        questions.append(
            {
                "code": f"q{index + 1}",
                "text": text(f"问题{index + 1}", f"question {index + 1}"),
                "options": [{"code": o, "label": text(o, o)} for o in options],
                "default": options[0],
            }
        )
    entries: list[Any] = [
        code if index == 0 or rng.random() < 0.7 else {"item": code, "when": rule(questions, rng)}
        for index, code in enumerate(codes)
    ]
    return {
        "code": f"b{number:04d}",
        "name": text(f"一件事{number}", f"one thing {number}"),
        "description": text(f"一件事{number}的说明", f"about one thing {number}"),
        "lead_department": lead,
        "questions": questions,
        "items": entries,
    }


def registers(d: Dictionary, items: dict[str, Doc], rng: random.Random) -> list[Doc]:
    """Registers holding the external certificates, those needed but never issued, and some more."""
    issued = {p["certificate"] for doc in items.values() for p in doc.get("issues", [])}
    needed = {m["certificate"] for doc in items.values() for m in doc["materials"] if "certificate" in m}
    held = sorted(set(d.external) | (needed - issued)) + rng.sample(sorted(issued), len(issued) // 4)
    count = 40
    return [
        {
            "code": f"reg{n:02d}",
            "name": text(f"共享库{n}", f"register {n}"),
            "department": rng.choice(d.departments)["code"],
            "certificates": held[n::count],
            "elements": [f"*.{a}" for a, _, _ in ATTRIBUTES[n % 10 :: 10][:3]],
        }
        for n in range(count)
    ]


def generate(items: int, department_count: int, bundles: int, seed: int) -> Iterator[tuple[str, Doc]]:
    """(relative path, document) of every file of the catalogue."""
    rng = random.Random(seed)
    d = dictionary(department_count, rng)
    g = Generator(d, rng)
    bundle_docs = []
    for number in range(bundles):
        size = rng.randint(4, 12)
        codes = g.bundle_nodes(size, shape(size, rng))
        bundle_docs.append(bundle_doc(number, codes, rng.choice(d.departments)["code"], rng))
    if len(g.items) > items:
        raise ValueError(f"--items {items} is fewer than the {len(g.items)} the bundles need")
    while len(g.items) < items:
        g.standalone()
    yield "departments.yaml", {"departments": d.departments}
    yield "data_elements.yaml", {"elements": d.elements}
    yield "certificates.yaml", {"certificates": d.certificates}
    yield "registers.yaml", {"registers": registers(d, g.items, rng)}
    for code, doc in g.items.items():
        yield f"items/{code}.yaml", doc
    for doc in bundle_docs:
        yield f"bundles/{doc['code']}.yaml", doc


def write(directory: Path, items: int, departments: int, bundles: int, seed: int) -> int:
    """Write the catalogue under `directory`; return the number of files."""
    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (directory / "items").mkdir(parents=True, exist_ok=True)
    (directory / "bundles").mkdir(exist_ok=True)
    count = 0
    for relative, doc in generate(items, departments, bundles, seed):
        (directory / relative).write_text(
            yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
        count += 1
    return count
