"""The yardstick of issue 16: what a case of N scanned pages costs end to end, beside what
tesseract alone costs on the same page images, measured in the same run.

    .venv/bin/python benchmarks/throughput.py [--pages 64] [--work DIR] [--no-stages] [--memory null]

A case of N scanned pages (mixed scanned formats: PDF scans, PNG, JPEG, TIFF) is
generated from a seed, with a 1-page case cut from it. Each is timed:

  - floor: tesseract alone on the page images the pipeline reads (rendered the way the
    OCR stage renders them), one single-threaded process per core (OMP_THREAD_LIMIT=1);
  - ``cleancopy run`` from a fresh home (the process-case flow, Prefect included);
  - ``cleancopy run`` again on the unchanged folder;
  - ``cleancopy consent`` changing one party's answer (which proposes again), and
    ``cleancopy run`` after it;
  - the same series with ``cleancopy server`` started in the home first (``--no-server``
    skips it; the server's start is shown, not counted);
  - the same series with the stages called in-process, no Prefect
    (``CLEANCOPY_ORCHESTRATOR=in-process``; ``--no-stages`` skips it).

Printed for each: seconds, pages/s, the ratio to the floor, peak RSS of the whole process
tree (the command and every process it starts, sampled every 50 ms). Then, for each series,
the fixed start-up (the 1-page run over the 1-page floor) and the per-page slope
((t_N - t_1) / (N - 1)) of the run beside the floor's.

``--memory null|tesseract`` measures only the peak RSS of first runs of the N-page and
1-page cases, through Prefect and in-process, with that OCR engine: with ``null`` (pages
rendered, nothing read) a 500-page case takes minutes, not hours of tesseract.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil
import pymupdf
import pytesseract
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 16016
CLI = [str(ROOT / ".venv" / "bin" / "python"), "-m", "redaction.cli"]


# --- the case -------------------------------------------------------------------------


def _pages_of(path: Path) -> int:
    with pymupdf.open(path) as d:
        return int(d.page_count)


def _cut(path: Path, keep: int) -> None:
    """Keep the first ``keep`` pages of a multi-page PDF or TIFF."""
    if path.suffix == ".pdf":
        with pymupdf.open(path) as d:
            d.select(list(range(keep)))
            data = d.tobytes(garbage=3)
        path.write_bytes(data)
        return
    with Image.open(path) as im:
        frames = []
        for i in range(keep):
            im.seek(i)
            frames.append(im.copy())
        dpi = im.info.get("dpi", (200, 200))
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=dpi, compression="tiff_deflate")


def make_case(out: Path, pages: int, seed: int = SEED) -> Path:
    """A generated case holding exactly ``pages`` scanned pages (born-digital files left out)."""
    from redaction.synth import generate as gen

    base = gen.PROFILES["default"]
    scans = {"pdf_scan": 0.45, "pdf_scan_ocr": 0.05, "png": 0.15, "jpeg": 0.15, "tiff": 0.2}
    gen.PROFILES["throughput"] = dataclasses.replace(base, name="throughput", formats=scans, long_docs=True,
                                                     sideways_p=0.0)
    n_docs = max(1, pages // 2)
    while True:
        g = gen.generate_case(out, seed, n_docs=n_docs, profile="throughput", overwrite=True)
        files = sorted((g.case_dir / "files").iterdir())
        if sum(_pages_of(f) for f in files) >= pages:
            break
        n_docs *= 2
    total = 0
    for f in files:
        n = _pages_of(f)
        if total >= pages:
            f.unlink()
        elif total + n > pages:
            if f.suffix in (".pdf", ".tif"):
                _cut(f, pages - total)
                total = pages
            else:
                f.unlink()
        else:
            total += n
    if total < pages:  # a one-page image could not be cut: take the rest from the next file's pages
        raise SystemExit(f"could not make a case of exactly {pages} pages (got {total}); try another --pages")
    _drop_missing_notes(g.case_dir)
    shutil.rmtree(out / f"{g.case_dir.name}.truth", ignore_errors=True)
    return g.case_dir


def _drop_missing_notes(case_dir: Path) -> None:
    manifest = case_dir / "case.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    present = {p.name for p in (case_dir / "files").iterdir()}
    if "documents" in data:
        data["documents"] = [d for d in data["documents"] if d.get("file") in present]
        if not data["documents"]:
            del data["documents"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def one_page_case(case_dir: Path, out: Path) -> Path:
    """The case with only its first file, cut to its first page."""
    one = out / case_dir.name
    shutil.rmtree(one, ignore_errors=True)
    (one / "files").mkdir(parents=True)
    shutil.copy2(case_dir / "case.yaml", one / "case.yaml")
    first = sorted((case_dir / "files").iterdir())[0]
    shutil.copy2(first, one / "files" / first.name)
    if _pages_of(one / "files" / first.name) > 1:
        _cut(one / "files" / first.name, 1)
    _drop_missing_notes(one)
    return one


def page_images(case_dir: Path) -> list[bytes]:
    """The scanned page images of the case as the OCR stage renders them."""
    from redaction import ingest, ocr

    images: list[bytes] = []
    for f in sorted((case_dir / "files").iterdir()):
        src = ingest.triage(f, ingest.IngestLimits())
        images += [p.png for p in ocr.prepare_pages(src) if p.scanned]
    return images


# --- measuring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_rss: int  # bytes, the process tree's sum at its highest sample
    returncode: int = 0


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def timed(cmd: Sequence[str], env: dict[str, str]) -> Measure:
    """Run ``cmd`` and sample its process tree's RSS while it runs."""
    t = time.perf_counter()
    p = subprocess.Popen(list(cmd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(p.pid)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(ps))
            stop.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = p.communicate()
    seconds = time.perf_counter() - t
    stop.set()
    th.join()
    if p.returncode != 0:
        sys.stderr.write(f"{' '.join(cmd[-3:])} exited {p.returncode}:\n{err.decode(errors='replace')[-2000:]}\n")
    return Measure(seconds, peak, p.returncode)


def _tess(png: bytes) -> int:
    return len(pytesseract.image_to_data(Image.open(io.BytesIO(png)), output_type=pytesseract.Output.DICT)["text"])


def _engine_read(args: tuple[bytes, bool]) -> tuple[int, int]:
    """Read one page image as the OCR stage does; (lines read a second time, words)."""
    from redaction.ocr.reread import is_reread
    from redaction.ocr.tesseract import TesseractEngine

    png, reread = args
    words = TesseractEngine(reread_lines=reread).read_encoded(png)
    return len({(w.block, w.line) for w in words if is_reread(w)}), len(words)


def reread_cost(images: list[bytes]) -> None:
    """What the second reading of poorly read lines costs: the OCR stage's engine on the
    page images with it and without it (one single-threaded process per core)."""
    times = {}
    lines = 0
    for reread in (False, True):
        t = time.perf_counter()
        with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_single_thread) as pool:
            got = list(pool.map(_engine_read, [(png, reread) for png in images]))
        times[reread] = time.perf_counter() - t
        lines = sum(n for n, _ in got) if reread else lines
    extra = times[True] - times[False]
    print(f"\nsecond reading of poorly read lines: {lines} line(s) on {len(images)} page(s); OCR {times[False]:.2f} s "
          f"without it, {times[True]:.2f} s with it ({extra:+.2f} s, "
          f"{100 * extra / times[False] if times[False] else float('nan'):+.0f} %)", flush=True)


def _single_thread() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def floor(images: list[bytes]) -> float:
    """Tesseract alone on ``images``: one single-threaded process per core."""
    t = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_single_thread) as pool:
        list(pool.map(_tess, images))
    return time.perf_counter() - t


def _party_to_change(case_dir: Path) -> tuple[str, str, str]:
    data = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    for p in data.get("third_parties", []):
        consent = str(p.get("consent", "pending"))
        return str(data["case_id"]), str(p["id"]), "granted" if consent != "granted" else "refused"
    raise SystemExit("the generated case has no third party")


# --- the run ---------------------------------------------------------------------------


def _row(name: str, m: Measure | float, pages: int, floor_s: float) -> str:
    s = m.seconds if isinstance(m, Measure) else m
    rss = f"{m.peak_rss / 2**20:>9.0f}" if isinstance(m, Measure) else f"{'':>9}"
    ratio = s / floor_s if floor_s else float("nan")
    return f"{name:<52} {s:>8.2f} {pages / s if s else 0:>8.2f} {ratio:>7.2f} {rss}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--pages", type=int, default=64, help="scanned pages in the case (16, 64, 200 ...)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--work", type=Path, help="keep the cases and homes here (default: a temporary folder)")
    ap.add_argument("--reread-cost", action="store_true",
                    help="only measure the second reading of poorly read lines on the case's page images")
    ap.add_argument("--no-server", action="store_true",
                    help="skip the series with a local Prefect server started first (cleancopy server)")
    ap.add_argument("--no-stages", action="store_true",
                    help="skip the stages called in-process (CLEANCOPY_ORCHESTRATOR=in-process, no Prefect)")
    ap.add_argument("--memory", choices=("null", "tesseract"),
                    help="only measure peak RSS of the process tree of a first run, with this OCR engine "
                    "(null reads nothing: a 500-page case in minutes), through Prefect and in-process")
    args = ap.parse_args(argv)
    if args.pages < 2:
        ap.error("--pages must be at least 2 (the 1-page case is measured beside it)")
    work = args.work or Path(tempfile.mkdtemp(prefix="cleancopy-throughput-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def _fresh(work: Path, name: str) -> dict[str, str]:
    home = work / name
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEANCOPY_", "PREFECT_", "OMP_"))}
    env.update(CLEANCOPY_HOME=str(home), PYTHONPATH=str(ROOT))
    return env


def _run(args: argparse.Namespace, work: Path) -> int:
    n = args.pages
    t = time.perf_counter()
    case = make_case(work / "cases", n, args.seed)
    one = one_page_case(case, work / "one")
    if args.memory:
        return memory(args.memory, work, case, one, n, time.perf_counter() - t)
    images = page_images(case)
    one_images = page_images(one)
    print(f"case {case.name}: {len(list((case / 'files').iterdir()))} files, {len(images)} scanned pages "
          f"(made in {time.perf_counter() - t:.1f} s); {os.cpu_count()} cores", flush=True)
    assert len(images) == n and len(one_images) == 1, (len(images), len(one_images))
    if args.reread_cost:
        reread_cost(images)
        return 0

    def show(name: str, m: Measure | float, pages: int, ref: float) -> None:
        print(_row(name, m, pages, ref), flush=True)

    print(f"\n{'measure (' + str(n) + ' pages unless said)':<52} {'seconds':>8} {'pages/s':>8} {'x floor':>7} "
          f"{'peak MiB':>9}", flush=True)
    floor_n = floor(images)
    floor_1 = floor(one_images)
    show(f"floor: tesseract alone, {os.cpu_count()} single-threaded processes", floor_n, n, floor_n)
    show("floor, 1-page case", floor_1, 1, floor_1)
    series = [_series("cleancopy run", "prefect", work, case, one, n, floor_n, floor_1, show)]
    if not args.no_server:
        series.append(_series("run, local server up", "prefect", work, case, one, n, floor_n, floor_1, show,
                              server=True))
    if not args.no_stages:
        series.append(_series("in-process", "in-process", work, case, one, n, floor_n, floor_1, show))
    floor_n2 = floor(images)  # the floor again after the runs: the machine may be shared, take the lower
    show("floor measured again after the runs", floor_n2, n, floor_n)
    floor_n = min(floor_n, floor_n2)
    print(f"\nratios below against the lower floor, {floor_n:.2f} s")
    floor_slope = (floor_n - floor_1) / (n - 1)
    for s in series:
        slope = (s.first.seconds - s.one.seconds) / (n - 1)
        print(f"\n{s.label}:")
        print(f"  end-to-end ratio (first run / floor):            {s.first.seconds / floor_n:.2f}")
        print(f"  fixed start-up (1-page run - 1-page floor):      {s.one.seconds - floor_1:.2f} s")
        print(f"  per-page slope: run {slope:.3f} s/page, floor {floor_slope:.3f} s/page "
              f"({slope / floor_slope if floor_slope > 0 else float('nan'):.2f} x)")
        print(f"  unchanged re-run / first run:                    {100 * s.again.seconds / s.first.seconds:.1f} %")
        print(f"  consent answer re-proposal / first run:          {100 * s.consent.seconds / s.first.seconds:.1f} %")
        print(f"  run after the consent answer / first run:        {100 * s.after.seconds / s.first.seconds:.1f} %")
    failed = [m for s in series for m in (s.first, s.again, s.consent, s.after, s.one) if m.returncode != 0]
    return 1 if failed else 0


def memory(engine: str, work: Path, case: Path, one: Path, n: int, made: float) -> int:
    """Peak RSS of the whole process tree of a first run (fresh home) of the N-page case and
    of the 1-page case, OCR by ``engine``, through Prefect and in-process: flat in the page
    count when the two are close."""
    files = sorted((case / "files").iterdir())
    print(f"case {case.name}: {len(files)} files, {sum(_pages_of(f) for f in files)} pages (made in {made:.1f} s); "
          f"OCR engine {engine}; {os.cpu_count()} cores", flush=True)
    print(f"\n{'peak RSS of the process tree, first run':<52} {'seconds':>8} {'pages/s':>8} {'':>7} {'peak MiB':>9}",
          flush=True)
    failed = False
    for label, orchestrator in (("cleancopy run", "prefect"), ("in-process", "in-process")):
        for folder, pages in ((case, n), (one, 1)):
            env = _fresh(work, f"home-memory-{orchestrator}-{pages}")
            env.update(CLEANCOPY_ORCHESTRATOR=orchestrator, CLEANCOPY_OCR_ENGINE=engine)
            m = timed([*CLI, "run", str(folder)], env)
            print(f"{f'{label}, {pages} page(s)':<52} {m.seconds:>8.2f} {pages / m.seconds:>8.2f} {'':>7} "
                  f"{m.peak_rss / 2**20:>9.0f}", flush=True)
            failed |= m.returncode != 0
    return 1 if failed else 0


@dataclass(frozen=True)
class Series:
    label: str
    first: Measure
    again: Measure
    consent: Measure
    after: Measure
    one: Measure


def _series(label: str, orchestrator: str, work: Path, case: Path, one: Path, n: int, floor_n: float,
            floor_1: float, show: Callable[[str, Measure | float, int, float], None],
            server: bool = False) -> Series:
    """A fresh home: the first run, an unchanged re-run, one consent answer changed, the
    run after it; and a 1-page case in a home of its own. ``server``: with ``cleancopy
    server`` started in each home first (its start not counted)."""
    tag = f"{orchestrator}{'-server' if server else ''}"
    env = _fresh(work, f"home-{tag}")
    env["CLEANCOPY_ORCHESTRATOR"] = orchestrator
    env1 = _fresh(work, f"home-one-{tag}")
    env1["CLEANCOPY_ORCHESTRATOR"] = orchestrator
    with _local_server(env) if server else contextlib.nullcontext(), \
            _local_server(env1) if server else contextlib.nullcontext():
        return _runs(label, env, env1, case, one, n, floor_n, floor_1, show)


@contextlib.contextmanager
def _local_server(env: dict[str, str]) -> Iterator[None]:
    """``cleancopy server`` for the home of ``env`` on a free loopback port, until left."""
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    t = time.perf_counter()
    p = subprocess.Popen([*CLI, "server", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t < 300:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        print(f"  (cleancopy server up in {time.perf_counter() - t:.1f} s, not counted)", flush=True)
        yield
    finally:
        p.terminate()
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def _runs(label: str, env: dict[str, str], env1: dict[str, str], case: Path, one: Path, n: int, floor_n: float,
          floor_1: float, show: Callable[[str, Measure | float, int, float], None]) -> Series:
    first = timed([*CLI, "run", str(case)], env)
    show(f"{label}, fresh home", first, n, floor_n)
    again = timed([*CLI, "run", str(case)], env)
    show(f"{label} again, folder unchanged", again, n, floor_n)
    case_id, party, answer = _party_to_change(case)
    consent = timed([*CLI, "consent", case_id, party, answer], env)
    show(f"  cleancopy consent {party} {answer} (proposes again)", consent, n, floor_n)
    after = timed([*CLI, "run", str(case)], env)
    show(f"{label} after the consent answer", after, n, floor_n)
    first_1 = timed([*CLI, "run", str(one)], env1)
    show(f"{label}, 1-page case, fresh home", first_1, 1, floor_1)
    return Series(label, first, again, consent, after, first_1)


if __name__ == "__main__":
    raise SystemExit(main())
