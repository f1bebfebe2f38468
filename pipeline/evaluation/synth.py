"""Seeded synthetic OCR pages with a known answer, built from clean gold articles.

Articles of one real page (same ``date`` and ``page``) are laid out in page order (title
lines each on their own line, then paragraphs) and given the artefacts of the real OCR
sample in ``../shared/data/raw/``: ASCII punctuation inside Chinese, every line separated
by a blank line, paragraphs broken across blank lines at random points (after commas,
inside words, short fragments), narrow-column re-wraps of 13-17 characters, passages
printed again later on the page (re-wrapped, sometimes cut off mid-sentence), a paragraph
repeated right after itself, and page furniture (running heads, ``第3版``, section names,
bare page numbers) at random line positions.

Everything planted is recorded on the :class:`SynthPage` so a scorer can check it. The
generator is pure and reproducible: the same articles, ``n_pages``, ``seed`` and options
always give the same pages. It never writes anything; eval text stays out of the repo.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from random import Random

import regex

from pipeline.evaluation.common import eval_dir, read_jsonl

WEEKDAYS = "一二三四五六日"
SECTIONS = (
    "要闻",
    "国内",
    "国际",
    "评论",
    "经济",
    "社会",
    "文化",
    "体育",
    "理论",
    "综合",
    "视点",
    "科技",
    "生态",
    "党建",
    "法治",
    "教育",
    "地方",
    "新闻",
    "副刊",
)
SENTENCE_END = frozenset("。！？!?；;…")
CLOSERS = frozenset("。，、；：？！”’）》」』,.;:?!)]")
MIN_HEAD = 10  # a random break leaves at least this many characters on the paragraph's first line
COMMAS = frozenset("，,、；;：:")

RE_WS = regex.compile(r"\s+")
RE_BARE_NUMBER = regex.compile(r"\s*\d{1,3}\s*")
RE_FULLWIDTH = regex.compile(r"[\uFF01-\uFF5E]")
RE_CJK = regex.compile(r"\p{Han}")
RE_SENTENCE_TAIL = regex.compile(r"[。！？!?…][”’」』）)]*$")

# Full-width and CJK punctuation folded to one (ASCII) form for comparisons.
FOLD_EXTRA = (
    *zip("，：；（）！？％", ",:;()!?%", strict=True),
    ("“", '"'),
    ("”", '"'),
    ("‘", "'"),
    ("’", "'"),
    ("。", "."),
    ("、", ","),
    ("—", "-"),
    ("～", "~"),
)
FOLD_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
ASCII_PAIRS = tuple(zip("，：；（）！？", ",:;()!?", strict=True))

DEFAULTS: dict[str, float | int] = {
    "break_prob": 0.35,  # a body paragraph is broken at 1-2 random points
    "narrow_prob": 0.08,  # a body paragraph is re-wrapped in a 13-17 character column
    "comma_break_prob": 0.35,  # a random break lands right after a comma when it can
    "repeat_prob": 0.04,  # a body paragraph is printed again right after itself
    "reprint_prob": 0.35,  # per page: a passage is printed again later on the page
    "reprint_cut_prob": 0.5,  # that later copy is cut off mid-sentence
    "reprint_narrow_prob": 0.7,  # that later copy is re-wrapped in a narrow column
    "ascii_min": 0.5,  # share of lines given ASCII punctuation, drawn per page in [min, max]
    "ascii_max": 1.0,
    "head_prob": 0.7,  # a running head on top of the page
    "furniture_min": 1,  # furniture lines at random positions
    "furniture_max": 4,
    "wide_gap_prob": 0.25,  # two blank lines rather than one between articles
    "cross_reprint_prob": 0.0,  # per page: an article of an earlier page printed again
    "max_articles": 0,  # > 0: cut each real page into pages of at most this many articles
}


@dataclass(slots=True)
class GoldArticle:
    """One article as it should come out: title lines and body paragraphs."""

    id: str
    title_lines: list[str]
    paragraphs: list[str]
    reprint_of: str | None = None  # key of the synthetic page first printing it


@dataclass(slots=True)
class Break:
    """A planted line break: a few characters either side, as printed."""

    before: str
    after: str
    kind: str = "random"  # "random" (1-2 random points) / "narrow" (column re-wrap)


@dataclass(slots=True)
class Boundary:
    """A real boundary between two gold lines that must stay a line break."""

    left: str
    right: str
    kind: str  # "title" / "title_body" / "para" / "article"


@dataclass(slots=True)
class Furniture:
    """A planted furniture line and the printed text around it."""

    text: str
    kind: str  # "running_head" / "page_number" / "section"
    before: str
    after: str


@dataclass(slots=True)
class SynthPage:
    """A synthetic OCR page and everything planted in it."""

    key: str
    text: str
    issue_date: date
    page_no: int
    articles: list[GoldArticle]
    breaks: list[Break] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)


def normalise(text: str) -> str:
    """Fold full-/half-width punctuation and drop whitespace."""
    for a, b in FOLD_EXTRA:
        if a in text:
            text = text.replace(a, b)
    if RE_FULLWIDTH.search(text):
        text = text.translate(FOLD_TABLE)
    return RE_WS.sub("", text)


def to_ascii(text: str) -> str:
    """Replace full-width ，：；（）！？ by their ASCII forms."""
    for a, b in ASCII_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


def load_articles(months: list[str] | None = None) -> list[dict]:
    """Read the gold articles (``rmrb_<month>.jsonl.gz``) from the eval folder, or ``[]``."""
    root = eval_dir()
    if root is None:
        return []
    paths = sorted((root / "articles").glob("*.jsonl.gz"))
    if months:
        paths = [p for p in paths if any(m in p.name for m in months)]
    return [rec for p in paths for rec in read_jsonl(p)]


def group_pages(articles: list[dict], max_articles: int = 0) -> list[list[dict]]:
    """Group articles by (date, page) in page order; optionally cut groups into chunks."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for rec in articles:
        if rec.get("paragraphs"):
            groups.setdefault((rec["date"], int(rec["page"])), []).append(rec)
    out = []
    for key in sorted(groups):
        recs = sorted(groups[key], key=lambda r: r.get("seq", 0))
        step = max_articles if max_articles > 0 else len(recs)
        out.extend(recs[i : i + step] for i in range(0, len(recs), step))
    return out


def running_head(d: date, page: int, rng: Random) -> tuple[str, str]:
    """Return a furniture line for ``d`` / ``page`` and its kind."""
    wd = f"星期{WEEKDAYS[d.weekday()]}"
    ymd = f"{d.year}年{d.month}月{d.day}日"
    section = rng.choice(SECTIONS)
    choices = (
        (f"人民日报 {ymd} {wd}", "running_head"),
        (f"{ymd} {wd}", "running_head"),
        (f"人民日报 {ymd}", "running_head"),
        (f"{ymd} {wd} {section} {page:02d}", "running_head"),
        (f"第{page}版", "page_number"),
        (f"{section} {page}", "page_number"),
        (str(page), "page_number"),
        (f"{page:02d}", "page_number"),
        (section, "section"),
        (f"第{page}版 {section}", "page_number"),
    )
    return choices[rng.randrange(len(choices))]


def can_break(s: str, i: int) -> bool:
    """Tell whether a break may fall between ``s[i-1]`` and ``s[i]``."""
    if i < 1 or i >= len(s):
        return False
    a, b = s[i - 1], s[i]
    if a.isspace() or b.isspace() or b in CLOSERS or a in SENTENCE_END:
        return False
    if a in "”’」』）)" and i >= 2 and s[i - 2] in SENTENCE_END:
        return False
    return True


def has_cjk(s: str) -> bool:
    """Tell whether ``s`` holds a Chinese character."""
    return RE_CJK.search(s) is not None


def breakable(p: str) -> bool:
    """Tell whether a paragraph may be broken (long, ends a sentence: never title-like)."""
    return len(p) >= 20 and RE_SENTENCE_TAIL.search(p) is not None


def random_cuts(p: str, rng: Random, n: int, comma_prob: float) -> list[int]:
    """Return up to ``n`` sorted break positions in ``p``, some right after commas."""
    cuts: set[int] = set()
    for _ in range(n):
        pos = -1
        if rng.random() < comma_prob:
            commas = [i + 1 for i, ch in enumerate(p) if ch in COMMAS and i + 1 >= MIN_HEAD]
            rng.shuffle(commas)
            pos = next((i for i in commas if can_break(p, i)), -1)
        for _ in range(8):
            if pos > 0:
                break
            i = rng.randrange(MIN_HEAD, len(p) - 1)
            pos = i if can_break(p, i) else -1
        if pos > 0:
            cuts.add(pos)
    return fragment_safe(p, sorted(cuts))


def narrow_cuts(p: str, width: int) -> list[int]:
    """Return break positions re-wrapping ``p`` in a column of about ``width`` characters."""
    cuts, start = [], 0
    while len(p) - start > width + 1:
        pos = next((start + width + d for d in (0, -1, 1, -2, 2) if can_break(p, start + width + d)), -1)
        if pos < 0:
            pos = start + width
        else:
            cuts.append(pos)
        start = pos
    return fragment_safe(p, cuts)


def fragment_safe(p: str, cuts: list[int]) -> list[int]:
    """Drop cuts that would leave a fragment with no Chinese character."""
    kept: list[int] = []
    prev = 0
    for i, c in enumerate(cuts):
        nxt = cuts[i + 1] if i + 1 < len(cuts) else len(p)
        if has_cjk(p[prev:c]) and has_cjk(p[c:nxt]):
            kept.append(c)
            prev = c
    if kept and not has_cjk(p[kept[-1] :]):
        kept.pop()
    return kept


def split_at(p: str, cuts: list[int]) -> list[str]:
    """Split ``p`` at the given positions."""
    bounds = [0, *cuts, len(p)]
    return [p[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def cut_mid_sentence(p: str, rng: Random, min_keep: int = 15) -> str:
    """Cut ``p`` at a random point that is not a sentence end, keeping ``min_keep``+ characters."""
    for _ in range(10):
        if len(p) <= min_keep + 2:
            break
        i = rng.randrange(min_keep, len(p) - 1)
        if can_break(p, i) and has_cjk(p[:i]):
            return p[:i]
    return p


def gold_article(rec: dict) -> GoldArticle:
    """Return the gold answer of one article; title lines past the third open the body.

    Bare numbers (chart labels) are dropped: on a page they are indistinguishable from
    page numbers.
    """
    titles = [t for t in rec["title_lines"] if t.strip() and not RE_BARE_NUMBER.fullmatch(t)]
    paras = [p for p in rec["paragraphs"] if p.strip() and not RE_BARE_NUMBER.fullmatch(p)]
    return GoldArticle(rec["id"], titles[:3], titles[3:] + paras)


class _PageBuilder:
    """Lay out one page's articles with artefacts; records what it plants."""

    def __init__(self, key: str, recs: list[dict], rng: Random, opts: dict, extra: GoldArticle | None):
        self.rng, self.o, self.key = rng, opts, key
        first = recs[0]
        self.issue_date = date.fromisoformat(first["date"])
        self.page_no = int(first["page"])
        self.articles = [gold_article(r) for r in recs]
        if extra is not None:
            self.articles.append(extra)
        self.ascii_share = rng.uniform(opts["ascii_min"], opts["ascii_max"])
        self.lines: list[str] = []
        self.breaks: list[tuple[str, Break]] = []
        self.copied: set[str] = set()
        self.duplicates: list[str] = []
        self.boundaries: list[Boundary] = []
        self.gold_norm: str | None = None

    def printed(self, s: str) -> str:
        """Return ``s`` as OCR prints it (ASCII punctuation on some lines)."""
        s = s.replace("\xa0", " ").replace("\u3000", " ").strip()
        return to_ascii(s) if self.rng.random() < self.ascii_share else s

    def unique(self, s: str) -> bool:
        """Tell whether ``s`` occurs once in the page's gold text (so a copy is measurable)."""
        n = normalise(s)
        if self.gold_norm is None:
            self.gold_norm = normalise(
                "".join(x for a in self.articles for x in (*a.title_lines, *a.paragraphs))
            )
        return len(n) >= 20 and self.gold_norm.count(n) == 1

    def emit_body(self, p: str, record: bool) -> None:
        """Print a body paragraph, broken or re-wrapped at random."""
        s = self.printed(p)
        cuts: list[int] = []
        kind = "random"
        if breakable(s):
            r = self.rng.random()
            if r < self.o["narrow_prob"]:
                cuts = narrow_cuts(s, self.rng.randint(13, 17))
                kind = "narrow"
            elif r < self.o["narrow_prob"] + self.o["break_prob"]:
                n = 1 if self.rng.random() < 0.75 or len(s) < 60 else 2
                cuts = random_cuts(s, self.rng, n, self.o["comma_break_prob"])
        if record:
            self.breaks.extend((p, Break(s[max(0, c - 8) : c], s[c : c + 8], kind)) for c in cuts)
        self.lines.extend(split_at(s, cuts))

    def emit_passage(self, passage: list[str]) -> None:
        """Print a passage again later on the page, maybe narrow and cut off."""
        paras = list(passage)
        if self.rng.random() < self.o["reprint_cut_prob"]:
            paras[-1] = cut_mid_sentence(paras[-1], self.rng)
        if not self.unique("".join(paras)):
            return
        self.duplicates.append("\n".join(paras))
        self.copied.update(passage)
        narrow = self.rng.random() < self.o["reprint_narrow_prob"]
        width = self.rng.randint(13, 17)
        for p in paras:
            s = self.printed(p)
            cuts = narrow_cuts(s, width) if narrow and len(s) > width + 2 else []
            self.lines.extend(split_at(s, cuts))

    def pick_passage(self, art: GoldArticle) -> list[str] | None:
        """Choose 1-3 consecutive breakable paragraphs of ``art`` to print again."""
        cands = [i for i, p in enumerate(art.paragraphs) if breakable(p)]
        if not cands:
            return None
        i = self.rng.choice(cands)
        j = i + 1
        while (
            j < len(art.paragraphs) and j - i < 3 and breakable(art.paragraphs[j]) and self.rng.random() < 0.5
        ):
            j += 1
        return art.paragraphs[i:j]

    def boundary(self, prev: tuple[str, str, int] | None, text: str, kind: str, ai: int) -> None:
        """Record the real boundary between the previous gold line and ``text``."""
        if prev is None:
            return
        if prev[2] != ai:
            name = "article"
        else:
            name = {("title", "title"): "title", ("title", "body"): "title_body"}.get((prev[1], kind), "para")
        self.boundaries.append(Boundary(prev[0], text, name))

    def build(self) -> SynthPage:
        """Lay the page out and return it."""
        rng, o = self.rng, self.o
        pending: list[list[str]] = []
        reprint_from = rng.randrange(len(self.articles)) if rng.random() < o["reprint_prob"] else -1
        prev: tuple[str, str, int] | None = None  # text, "title"/"body", article index
        for ai, art in enumerate(self.articles):
            if ai and rng.random() < o["wide_gap_prob"]:
                self.lines.append("")
            for t in art.title_lines:
                self.boundary(prev, t, "title", ai)
                self.lines.append(self.printed(t))
                prev = (t, "title", ai)
            for p in art.paragraphs:
                self.boundary(prev, p, "body", ai)
                self.emit_body(p, record=True)
                if rng.random() < o["repeat_prob"] and self.unique(p):
                    self.duplicates.append(p)
                    self.copied.add(p)
                    self.emit_body(p, record=False)
                prev = (p, "body", ai)
            if ai == reprint_from:
                passage = self.pick_passage(art)
                if passage:
                    pending.append(passage)
            if pending and (ai == len(self.articles) - 1 or rng.random() < 0.5):
                for passage in pending:
                    self.emit_passage(passage)
                pending.clear()
        furniture = self.place_furniture()
        text = "\n\n".join(self.lines)  # an empty line makes a wider gap between articles
        return SynthPage(
            key=self.key,
            text=text,
            issue_date=self.issue_date,
            page_no=self.page_no,
            articles=self.articles,
            breaks=[b for p, b in self.breaks if p not in self.copied],
            duplicates=self.duplicates,
            furniture=furniture,
            boundaries=self.boundaries,
        )

    def place_furniture(self) -> list[Furniture]:
        """Insert running heads and page numbers at random line positions."""
        rng, o, lines = self.rng, self.o, self.lines
        spots = sorted(
            rng.randrange(1, len(lines) + 1)
            for _ in range(rng.randint(o["furniture_min"], o["furniture_max"]))
        )
        if rng.random() < o["head_prob"]:
            spots.insert(0, 0)
        before = [""] * (len(lines) + 1)
        for i in range(1, len(lines) + 1):
            before[i] = lines[i - 1] or before[i - 1]
        after = [""] * (len(lines) + 1)
        for i in range(len(lines) - 1, -1, -1):
            after[i] = lines[i] or after[i + 1]
        out: list[Furniture] = []
        merged: list[str] = []
        k = 0
        for i in range(len(lines) + 1):
            while k < len(spots) and spots[k] == i:
                text, kind = running_head(self.issue_date, self.page_no, rng)
                merged.append(text)
                out.append(Furniture(text, kind, before[i][-8:], after[i][:8]))
                k += 1
            if i < len(lines):
                merged.append(lines[i])
        self.lines = merged
        return out


def iter_pages(articles: list[dict], n_pages: int, seed: int = 0, **options) -> Iterator[SynthPage]:
    """Yield ``n_pages`` synthetic pages (real pages reused, re-randomised, when too few)."""
    opts = {**DEFAULTS, **options}
    unknown = set(options) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown synth options: {sorted(unknown)}")
    groups = group_pages(articles, int(opts["max_articles"]))
    if not groups or n_pages <= 0:
        return
    rng = Random(seed)
    order = list(range(len(groups)))
    rng.shuffle(order)
    order = sorted(order[: min(n_pages, len(order))])  # page order within the sample
    printed_before: list[tuple[str, GoldArticle]] = []
    for n in range(n_pages):
        recs = groups[order[n % len(order)]]
        key = f"{recs[0]['date']}/{recs[0]['page']:02d}#{n}"
        page_rng = Random(f"{seed}:{n}")
        extra = None
        if printed_before and page_rng.random() < opts["cross_reprint_prob"]:
            extra = reprint_of(*printed_before[page_rng.randrange(len(printed_before))], page_rng, opts)
        page = _PageBuilder(key, recs, page_rng, opts, extra).build()
        if opts["cross_reprint_prob"] > 0:
            printed_before.extend((key, a) for a in page.articles if a.reprint_of is None)
        yield page


def reprint_of(key: str, art: GoldArticle, rng: Random, opts: dict) -> GoldArticle:
    """Return a mildly perturbed copy of ``art`` (ASCII punctuation, maybe a trailing cut)."""
    paras = [to_ascii(p) if rng.random() < 0.6 else p for p in art.paragraphs]
    if rng.random() < 0.5:
        total = sum(len(p) for p in paras)
        keep = rng.uniform(0.5, 0.95) * total
        out, run = [], 0
        for p in paras:
            if run + len(p) >= keep:
                out.append(cut_mid_sentence(p, rng, min_keep=max(1, min(15, int(keep - run)))))
                break
            out.append(p)
            run += len(p)
        paras = out
    titles = list(art.title_lines) if rng.random() < 0.7 else []
    return GoldArticle(art.id, titles, paras, reprint_of=key)


def make_pages(articles: list[dict], n_pages: int, seed: int = 0, **options) -> list[SynthPage]:
    """Return ``n_pages`` synthetic OCR pages with their planted answers."""
    return list(iter_pages(articles, n_pages, seed, **options))


DEMO_PLACES = (
    "青溪镇",
    "石门村",
    "北湖区",
    "云岭县",
    "南港街道",
    "桐山乡",
    "西坪村",
    "东沙湾",
    "梅林社区",
    "白鹭洲",
)
DEMO_SENTENCES = (
    "{p}的清晨总是从面包房的香气开始，街口的老槐树下已经坐满了晨练归来的老人。",
    "今年春天，{p}新修了一条通往山顶果园的水泥路，运输鲜果的时间缩短了{n}分钟。",
    "图书馆在周末推出亲子阅读课堂，每期吸引{n}个家庭报名参加。",
    "技术人员介绍，新型灌溉设备可以根据土壤湿度自动调节出水量，每亩地能节水{n}吨左右。",
    "志愿者们把收集来的旧书分类整理，再送往{p}的{n}所小学。",
    "社区食堂每天中午提供三荤两素的套餐（老年居民凭卡就餐），每份只收{n}元。",
    "河道治理完成后，{p}两岸新建了{n}公里长的步道，傍晚散步的人络绎不绝。",
    "合作社负责人说：“今年的茶叶订单比去年多了{n}单，大家干劲更足了！”",
    "{p}把闲置的旧厂房改造成创业园，目前已有{n}家小微企业入驻。",
    "为了方便群众办事，{p}便民服务中心把{n}个事项集中到一个窗口办理。",
    "气象部门提醒，未来三天{p}将有一次明显降温过程，最低气温可能降到{n}摄氏度。",
    "在{p}的田间地头，农技员手把手教农户使用无人机喷洒农药，一天能作业{n}亩。",
    "这所学校组建了{n}支兴趣小组，孩子们可以自由选择书法、围棋、足球等课程。",
    "据统计，{p}今年接待游客{n}万人次，带动周边农家乐收入明显增长。",
    "医护人员定期走进{p}，为行动不便的老人上门体检，建立健康档案{n}份。",
    "为什么要把快递柜搬进小区？工作人员解释，这样每天能减少{n}次上门投递。",
    "{p}组织了{n}场技能培训，参加培训的人员大多已经找到了新工作；",
    "老人们说，过去下雨天出门一脚泥，如今路面平整干净，心里也亮堂了。",
)
DEMO_TITLES = (
    "{p}办起{n}场读书会",
    "小路通到果园边",
    "{p}：旧厂房里的新动能",
    "一个窗口办成{n}件事",
    "田间来了新帮手",
    "让老人吃上热乎饭",
    "{p}河畔步道焕新",
    "家门口的技能课堂",
)


def demo_articles(n_pages: int = 20, seed: int = 0) -> list[dict]:
    """Return made-up articles shaped like the gold files (no eval data needed)."""
    rng = Random(seed)
    out: list[dict] = []
    serial = 0

    def fill(template: str) -> str:
        nonlocal serial
        serial += 1
        return template.format(p=rng.choice(DEMO_PLACES), n=rng.randint(2, 90) * 10 + serial % 10)

    for page in range(n_pages):
        day = date(2030, 1 + page % 12, 1 + page % 28).isoformat()
        for seq in range(1, rng.randint(2, 5)):
            titles = [fill(rng.choice(DEMO_TITLES)) for _ in range(rng.choice((1, 1, 2, 3)))]
            paras = []
            for _ in range(rng.randint(2, 7)):
                paras.append("".join(fill(rng.choice(DEMO_SENTENCES)) for _ in range(rng.randint(1, 4))))
            paras[0] = (
                f"本报{rng.choice(DEMO_PLACES)}1月{rng.randint(1, 28)}日电（记者 林{rng.choice('一二三四')}）"
                + paras[0]
            )
            out.append(
                {
                    "id": f"demo-{page:03d}-{seq}",
                    "date": day,
                    "page": 1 + page % 8,
                    "seq": seq,
                    "title_lines": titles,
                    "paragraphs": paras,
                    "raw": "",
                }
            )
    return out
