"""Cross-page reprint detection: winnowed shingles in an index, no pairwise comparison."""

from __future__ import annotations

import time

import numpy as np
import pytest

from pipeline import reprints
from pipeline.evaluation.common import check_floors, eval_dir
from pipeline.reprints import CACHE_MB, MIN_CHARS, BloomFilter, ReprintIndex, fingerprints, normalise

# Made-up articles (not newspaper text).
RIVER = (
    "青溪镇的河道治理工程去年秋天开工，施工队先清理了淤积多年的河泥，又在两岸种下了三千多株垂柳。"
    "工程负责人说，过去一到夏天河水就发臭，附近居民连窗户都不敢开；如今河水清了，傍晚来散步的人越来越多。"
    "镇里还请来水利专家，在上游建起两座小型湿地，用芦苇和菖蒲过滤生活污水，每天能处理污水八百吨。"
    "住在河边的王大爷每天清晨都来钓鱼，他说这条河又回到了小时候的样子。"
)
LIBRARY = (
    "石门村的农家书屋今年换了新书架，村委会从县图书馆借来两千册新书，还开通了电子阅览室。"
    "每到周末，孩子们围坐在长桌边读绘本，老人们则喜欢翻看种植养殖方面的杂志。"
    "书屋管理员说，过去一年登记借阅的村民有四百多人次，最受欢迎的是果树修剪和家庭医疗的小册子。"
    "下一步，村里打算请大学生志愿者来开设暑期读书班，让留守儿童的假期过得更充实。"
)
# Two different articles that share a long formulaic passage (a list of names), as real
# meeting reports do; they are still distinct articles.
NAMES = "出席会议的有张明远、李春华、王建国、赵立新、陈思远、刘海波、孙玉兰、周文斌等同志。"
MEETING_A = (
    "北湖区第三次社区工作会议今天召开，会议听取了关于老旧小区加装电梯进展情况的汇报，决定年内再完成二十部电梯的安装。"
    + NAMES
)
MEETING_B = (
    "北湖区第五次社区工作会议今天召开，会议审议了垃圾分类试点方案，要求各街道在下个月底前设置好分类投放点。"
    + NAMES
)


def rewrap(text: str, width: int) -> str:
    """Print ``text`` in a narrow column with ASCII commas, as OCR gives it."""
    text = text.replace("，", ",").replace("；", ";")
    return "\n\n".join(text[i : i + width] for i in range(0, len(text), width))


def test_fingerprints_are_pure_and_sparse() -> None:
    a, b = fingerprints(RIVER), fingerprints(RIVER)
    assert np.array_equal(a, b)
    assert a.dtype == np.uint64 and np.all(np.diff(a.astype(np.float64)) > 0)
    n = len(normalise(RIVER))
    assert n / 12 < len(a) < n / 4  # about one per 7 characters


def test_normalise_drops_layout_and_punctuation() -> None:
    assert normalise("河道，治理\n\n工程（一）") == normalise("河道,治理 工程(一)") == "河道治理工程一"
    assert normalise("ＡＢ１２") == "ab12"


def test_rewrapped_copy_is_found() -> None:
    index = ReprintIndex()
    index.add("p1/river", fingerprints(RIVER))
    index.add("p1/library", fingerprints(LIBRARY))
    hit = index.check(fingerprints(rewrap(RIVER, 15)))
    assert hit is not None and hit[0] == "p1/river" and hit[1] > 0.95


def test_truncated_copy_is_found_both_ways() -> None:
    index = ReprintIndex()
    index.add("p1/library", fingerprints(LIBRARY))
    cut = LIBRARY[: int(len(LIBRARY) * 0.55)]
    assert index.check(fingerprints(cut))[0] == "p1/library"
    other = ReprintIndex()
    other.add("p2/cut", fingerprints(cut))
    assert other.check(fingerprints(LIBRARY))[0] == "p2/cut"


def test_distinct_articles_are_not_paired() -> None:
    index = ReprintIndex()
    index.add("a", fingerprints(RIVER))
    index.add("meeting-a", fingerprints(MEETING_A))
    assert index.check(fingerprints(LIBRARY)) is None
    assert index.check(fingerprints(MEETING_B)) is None


def test_short_boilerplate_is_never_paired() -> None:
    credit = "本报记者 林一 摄影报道。图为志愿者在河边清理垃圾。"
    assert len(normalise(credit)) < MIN_CHARS
    assert len(fingerprints(credit)) == 0
    index = ReprintIndex()
    index.add("credit", fingerprints(credit))
    assert len(index) == 0
    assert index.check(fingerprints(credit)) is None


def test_index_on_disk_survives_reopening(tmp_path) -> None:
    path = tmp_path / "reprints.sqlite"
    with ReprintIndex.open(path, threshold=0.7) as index:
        index.add("2030-01-01/01|river", fingerprints(RIVER))
        index.add("2030-01-01/02|library", fingerprints(LIBRARY))
        probe = fingerprints(rewrap(LIBRARY, 16))
        before = index.check(probe)
    with ReprintIndex.open(path) as loaded:  # the parameters come from the file
        assert len(loaded) == 2 and loaded.threshold == 0.7
        assert loaded.check(probe) == before
        assert before[0] == "2030-01-01/02|library"
        loaded.add("later", fingerprints(MEETING_A))
        assert loaded.check(fingerprints(MEETING_A))[0] == "later"


def test_an_error_keeps_only_what_was_committed(tmp_path) -> None:
    path = tmp_path / "reprints.sqlite"
    with pytest.raises(RuntimeError), ReprintIndex.open(path) as index:
        index.add("river", fingerprints(RIVER))
        index.commit()
        index.add("library", fingerprints(LIBRARY))  # its page was never written
        raise RuntimeError("the run stops here")
    with ReprintIndex.open(path) as index:
        assert len(index) == 1
        assert index.check(fingerprints(LIBRARY)) is None
        assert index.check(fingerprints(RIVER))[0] == "river"


def test_index_of_another_format_is_refused(tmp_path) -> None:
    path = tmp_path / "reprints.sqlite"
    with ReprintIndex.open(path) as index:
        index._db.execute("UPDATE params SET value = 99 WHERE name = 'format'")
    with pytest.raises(ValueError, match="format 99"):
        ReprintIndex.open(path)


def test_memory_of_an_index_on_disk_is_bounded(tmp_path) -> None:
    with ReprintIndex.open(tmp_path / "reprints.sqlite") as index:
        cache_kib = -index._db.execute("PRAGMA cache_size").fetchone()[0]
        assert cache_kib == CACHE_MB * 1024
        assert index._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_check_time_does_not_grow_with_the_index() -> None:
    rng = np.random.default_rng(0)
    alphabet = np.array(
        list(
            "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
        )
    )
    texts = ["".join(rng.choice(alphabet, 400)) for _ in range(6000)]
    fps = [fingerprints(t) for t in texts]
    probes = fps[-200:]

    def per_check(index: ReprintIndex) -> float:
        """Seconds per check, best of 5 rounds: other jobs on the machine only ever add time."""
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for f in probes:
                index.check(f)
            best = min(best, time.perf_counter() - t0)
        return best / len(probes)

    index = ReprintIndex()
    for i, f in enumerate(fps[:500]):
        index.add(str(i), f)
    small = per_check(index)
    for i, f in enumerate(fps[500:-200], start=500):
        index.add(str(i), f)
    large = per_check(index)
    assert large < 3 * small + 2e-5
    assert all(index.check(f) is None for f in probes[:20])


@pytest.mark.skipif(eval_dir() is None, reason="../shared/eval is absent")
def test_reprint_section_meets_floors() -> None:
    from pipeline.evaluation import reprints

    scores = reprints.run(quick=True)
    assert scores["recall"] >= 0.99
    assert scores["false_pairs_max"] == 0
    # time_ratio_max is a timing: the eval run prints it against the pinned 2.0, and
    # test_check_time_does_not_grow_with_the_index guards the flat cost without the eval data
    failures = [f for f in check_floors("reprints", scores) if "time_ratio_max" not in f]
    assert failures == []


def test_fingerprint_owned_once_by_its_first_article() -> None:
    index = ReprintIndex()
    index.add("first", fingerprints(RIVER))
    index.add("copy", fingerprints(rewrap(RIVER, 13)))  # its fingerprints stay the first's
    index.add("library", fingerprints(LIBRARY))
    assert index.check(fingerprints(RIVER))[0] == "first"
    owners = index._owners(fingerprints(RIVER))
    assert set(owners) == {0} and len(owners) == len(fingerprints(RIVER))


def test_section_skips_without_eval_data(monkeypatch, capsys) -> None:
    from pipeline.evaluation import reprints
    from pipeline.evaluation.common import SKIP_LINE

    monkeypatch.setattr(reprints, "eval_dir", lambda: None)
    assert reprints.run(quick=True) == {}
    assert capsys.readouterr().out.strip() == SKIP_LINE


def test_bloom_filter_never_forgets_and_rarely_imagines() -> None:
    rng = np.random.default_rng(3)
    held = rng.integers(0, 2**64, 50_000, dtype=np.uint64, endpoint=False)
    bloom = BloomFilter(len(held))
    bloom.add(held[:25_000])
    bloom.add(held[25_000:])
    assert bloom.might_hold(held).all()  # no false negatives, ever
    others = rng.integers(0, 2**64, 200_000, dtype=np.uint64, endpoint=False)
    assert bloom.might_hold(others).mean() < 0.012  # full to capacity: about 0.8 %
    half = BloomFilter(2 * len(held))  # as a refilled index's filter is
    half.add(held)
    assert half.might_hold(held).all() and half.might_hold(others).mean() < 0.001


def test_index_outgrowing_its_filter_answers_as_before(monkeypatch) -> None:
    texts = {"river": RIVER, "library": LIBRARY, "meeting-a": MEETING_A, "meeting-b": MEETING_B}
    probes = [rewrap(t, 14) for t in texts.values()] + [LIBRARY[:90], RIVER[40:200]]
    roomy = ReprintIndex()
    monkeypatch.setattr(reprints, "BLOOM_MIN_CAPACITY", 8)  # refilled several times on the way
    tight = ReprintIndex()
    for key, text in texts.items():
        roomy.add(key, fingerprints(text))
        tight.add(key, fingerprints(text))
    assert tight._bloom.capacity > 8 and tight._bloom.capacity >= tight._held
    assert [tight.check(fingerprints(p)) for p in probes] == [roomy.check(fingerprints(p)) for p in probes]
    assert all(hit is not None for hit in (tight.check(fingerprints(p)) for p in probes[:4]))
