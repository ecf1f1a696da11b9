"""``convert(inputs, output, **options)``: runs the converter as a child process, shows its progress, returns its
summary. The child is never left running: an exception or Ctrl+C in Python sends it SIGINT (it removes its partial
file and keeps its manifest, so ``resume=True`` continues), waits a bounded time, then kills it."""

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field

from . import _binary, _options
from ._errors import ConversionError

# How long a stopped conversion may take to finish its cleanup before it is killed (it removes one partial file).
STOP_SECONDS = 30


@dataclass(frozen=True)
class RecordFile:
    """One record file the run wrote: its path, records and bytes."""
    path: str
    records: int
    bytes: int


@dataclass(frozen=True)
class Failure:
    """A video (or clip) that was not written: its path, ``"skipped"`` or ``"failed"``, and why."""
    path: str
    status: str
    reason: str
    clip: str = None


@dataclass(frozen=True)
class ConversionResult:
    """What a run wrote and what it could not (the command line's summary, from ``convert --json``)."""
    output: str
    converted: int
    total: int
    frames: int
    bytes: int
    seconds: float
    files: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    unit: str = "videos"
    exit_code: int = 0

    @property
    def complete(self):
        """Whether every catalogued video (or clip) was written."""
        return not self.failures

    @property
    def skipped(self):
        return [f for f in self.failures if f.status == "skipped"]

    @property
    def failed(self):
        return [f for f in self.failures if f.status == "failed"]

    @classmethod
    def _from_summary(cls, summary, exit_code):
        return cls(output=summary["output"], converted=summary["videos_written"], total=summary["videos_total"],
                   frames=summary["frames_written"], bytes=summary["bytes"], seconds=summary["seconds"],
                   files=[RecordFile(f["path"], f["records"], f["bytes"]) for f in summary["files"]],
                   failures=[Failure(f["full_path"], f["status"], f["reason"], f["clip"]) for f in summary["failures"]],
                   unit=summary["unit"], exit_code=exit_code)


def convert(inputs, output, *, progress=True, **options):
    """Convert videos into TFRecord files, as ``video2tfrecord convert INPUTS -o OUTPUT`` does.

    inputs: a video file, a folder (walked recursively), an ``s3://`` prefix, or a list of those.
    output: the folder for the record files.
    progress: a tqdm bar when tqdm is installed (plain lines otherwise); False shows none.
    options: every option of ``convert`` as a keyword argument, dashes as underscores (``frames=16``,
        ``size=(224, 224)``, ``sampling="centered"``, ``layout="sequence"``, ``labels="labels.csv"``, ``audio=True``,
        ``pattern=["*.mp4", "*.avi"]``); their names, defaults and messages are the command line's (docs/cli.md).

    Returns a ConversionResult (converted, skipped, failed with reasons, files, totals). Raises ConversionError with the
    command line's message when an option is refused or the run cannot start, TypeError for an unknown keyword, and
    KeyboardInterrupt after a clean stop on Ctrl+C (``resume=True`` continues the run).
    """
    words = _options.to_arguments(options)
    paths = [inputs] if isinstance(inputs, (str, bytes, os.PathLike)) else list(inputs)
    # A path that starts with a dash would read as an option.
    paths = [p if not p.startswith("-") else os.path.join(".", p) for p in map(os.fsdecode, paths)]
    return _run(paths, os.fsdecode(output), words, progress)


def _run(paths, output, words, progress):
    binary = _binary.find_binary()
    read_end, write_end = os.pipe()
    command = [binary, "convert", *paths, f"--output={output}", *words, "--json", f"--progress-fd={write_end}"]
    try:
        # The converter asks the kernel for SIGTERM when this process dies, even by SIGKILL: it then stops cleanly
        # instead of running on alone (VIDEO2TFRECORD_PARENT_PID, docs/python.md).
        environment = dict(os.environ, VIDEO2TFRECORD_PARENT_PID=str(os.getpid()))
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 pass_fds=(write_end,), env=environment)
    except OSError as e:
        os.close(read_end)
        os.close(write_end)
        raise ConversionError(_binary.explain_start_failure(e)) from None
    os.close(write_end)
    display = _Display(progress)
    stdout, stderr = [], []
    readers = [threading.Thread(target=_pump_progress, args=(read_end, display), daemon=True),
               threading.Thread(target=lambda: stdout.append(child.stdout.read()), daemon=True),
               threading.Thread(target=lambda: stderr.extend(child.stderr.read().decode("utf-8", "replace").splitlines()),
                                daemon=True)]
    for reader in readers:
        reader.start()
    try:
        code = child.wait()
    except BaseException:
        # Ctrl+C (or any exception) while the converter runs: it stops as it would on its own Ctrl+C, and what it
        # said about what it kept (the interruption note naming --resume) is shown before the exception goes on.
        _stop(child)
        _finish(child, readers, display)
        _echo(stderr)
        raise
    _finish(child, readers, display)
    return _outcome(code, b"".join(stdout).decode("utf-8", "replace"), stderr)


def _finish(child, readers, display):
    for reader in readers:
        reader.join(timeout=STOP_SECONDS)
    child.stdout.close()
    child.stderr.close()
    display.close()


def _echo(lines):
    for line in lines:
        if line.strip():
            print(line, file=sys.stderr)


def _stop(child):
    """Stops the child as Ctrl+C would, then for certain: SIGINT; SIGTERM (the same clean stop) if SIGINT was ignored,
    as it is in a child of a process started in the background without job control; SIGKILL after a bounded wait."""
    if child.poll() is not None:
        return
    try:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=STOP_SECONDS / 3)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=STOP_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        child.kill()
        child.wait()


def _outcome(code, stdout, stderr):
    lines = [line for line in stderr if line.strip()]
    if code in (0, 3):
        _echo(lines)
        return ConversionResult._from_summary(json.loads(stdout), code)
    if code in (130, 143):
        # Stopped by a signal that reached the converter alone (the terminal's Ctrl+C reaches both).
        _echo(lines)
        raise KeyboardInterrupt("video2tfrecord: interrupted")
    # A refusal: the command line's own words, without its name and its usage hint.
    messages = [line.removeprefix("video2tfrecord: ") for line in lines if not line.startswith("Run 'video2tfrecord")]
    message = "; ".join(messages) or f"the converter exited with code {code}"
    if message.startswith("unexpected error") or "OpenCvSharpExtern" in message:
        # Most often a system library the native files link is missing: say which packages, not the .NET exception.
        missing = _binary.missing_libraries()
        if missing:
            message = f"missing system libraries: apt-get install {'; '.join(missing)}"
    raise ConversionError(message, exit_code=code, stderr="\n".join(stderr))


def _pump_progress(descriptor, display):
    with os.fdopen(descriptor, "rb") as stream:
        for line in stream:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            display.update(event)


class _Display:
    """The progress a user sees: a tqdm bar, plain lines without tqdm, nothing with progress=False; notices always."""

    def __init__(self, enabled):
        self.bar = None
        self.enabled = enabled
        self.last_plain = -1
        self.tqdm = None
        if enabled:
            try:
                from tqdm import tqdm
                self.tqdm = tqdm
            except ImportError:
                self.tqdm = None

    def update(self, event):
        notice = event.get("notice")
        if notice:
            self.write(f"video2tfrecord: {notice}")
            return
        if not self.enabled:
            return
        done, total = event["done"], event["total"]
        if self.tqdm is not None:
            if self.bar is None:
                self.bar = self.tqdm(total=total, unit="video", desc="video2tfrecord", leave=False)
            self.bar.total = total
            self.bar.set_postfix(frames=event["frames"], refresh=False)
            # update() rather than setting n, so tqdm's rate and remaining time follow the videos done
            self.bar.update(done - self.bar.n)
            self.bar.refresh()
        elif done != self.last_plain and (done == total or done - self.last_plain >= max(1, total // 20)):
            self.last_plain = done
            print(f"video2tfrecord: {done}/{total} videos, {event['frames']} frames stored", file=sys.stderr)

    def write(self, line):
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
