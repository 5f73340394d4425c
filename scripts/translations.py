"""Keep the window's translations in step with the code: collect, report, compile.

    python scripts/translations.py            # update the .ts from the code, then compile the .qm
    python scripts/translations.py --check    # exit 1 if the .ts misses a string or a translation
    python scripts/translations.py --merge zh_CN.json   # fill translations in: {"Context": {"source": "译文"}}

pyside6-lupdate collects every tr()/translate() string of gru_studio/gui and
every QT_TRANSLATE_NOOP("engine", ...) template of gru_studio/engine into
resources/i18n/gru_studio_zh_CN.ts (translations already there are kept;
strings no longer in the code are dropped); pyside6-lrelease compiles it into
the .qm the app and the bundle load. Both tools ship with PySide6-Essentials.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "gru_studio" / "gui", ROOT / "gru_studio" / "engine"]
LANGUAGES = ["zh_CN"]


def catalogue(language: str) -> Path:
    return ROOT / "resources" / "i18n" / f"gru_studio_{language}.ts"


def tool(name: str) -> str:
    """The PySide6 tool beside this interpreter (a venv's bin), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: it ships with PySide6-Essentials; run scripts/dev.sh setup")
    return found


def sources() -> list[str]:
    return [str(path) for folder in SOURCES for path in sorted(folder.rglob("*.py"))]


def update(ts: Path) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    command = [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)]
    subprocess.run(command, check=True, capture_output=True, text=True)


def compile_qm(ts: Path) -> Path:
    qm = ts.with_suffix(".qm")
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True)
    return qm


def unfinished(ts: Path) -> list[str]:
    """Source strings of the catalogue without a finished translation."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        forms = [] if translation is None else [f.text for f in translation.iter("numerusform")]
        text = None if translation is None else (translation.text or "").strip()
        done = translation is not None and translation.get("type") not in ("unfinished", "obsolete", "vanished")
        if not done or not (any(forms) if forms else text):
            missing.append(message.findtext("source") or "")
    return missing


def merge(ts: Path, translations: dict[str, dict[str, str]]) -> int:
    """Write the given translations into the catalogue's messages; returns how many were filled in.

    A message whose source the code no longer has is not in the .ts and is
    skipped; a plural message gets the one form Chinese has.
    """
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        wanted = translations.get(context.findtext("name") or "", {})
        for message in context.iter("message"):
            text = wanted.get(message.findtext("source") or "")
            if not text:
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                for form in list(translation):
                    translation.remove(form)
                ET.SubElement(translation, "numerusform").text = text
                translation.text = None
            else:
                translation.text = text
            filled += 1
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def sources_of(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
    }


def check(language: str) -> list[str]:
    """What is wrong with the language's catalogue: strings the code has that it lacks, untranslated ones,
    and a .qm that is not the .ts compiled."""
    ts = catalogue(language)
    if not ts.exists():
        return [f"{ts} is missing: run python scripts/translations.py"]
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / ts.name
        shutil.copy(ts, fresh)
        update(fresh)
        new = sources_of(fresh) - sources_of(ts)
        problems = [f"not in {ts.name}: [{context}] {source!r}" for context, source in sorted(new)]
        problems += [f"untranslated in {ts.name}: {source!r}" for source in unfinished(fresh)]
        # Compiled again and compared, not by date: in a fresh clone every file has the clone's date.
        committed = Path(folder) / "committed.ts"
        shutil.copy(ts, committed)
        qm = ts.with_suffix(".qm")
        if not qm.exists() or not same_catalogue(compile_qm(committed), qm, ts):
            problems.append(f"{qm.name} is not {ts.name} compiled: run python scripts/translations.py")
    return problems


def same_catalogue(fresh: Path, shipped: Path, ts: Path) -> bool:
    """Whether two .qm files translate every message of `ts` alike (byte-equal when lrelease is the same
    version; another version may lay the file out otherwise, so then each lookup is compared)."""
    if fresh.read_bytes() == shipped.read_bytes():
        return True
    from PySide6.QtCore import QTranslator

    one, two = QTranslator(), QTranslator()
    if not (one.load(str(fresh)) and two.load(str(shipped))):
        return False
    root = ET.parse(ts).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            n = 1 if message.get("numerus") == "yes" else -1
            if one.translate(name, source, None, n) != two.translate(name, source, None, n):
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report, change nothing; exit 1 on any problem")
    parser.add_argument("--merge", type=Path, action="append", default=[], help="a JSON file of translations")
    args = parser.parse_args()
    status = 0
    for language in LANGUAGES:
        if args.check:
            problems = check(language)
            for problem in problems:
                print(problem)
            status |= bool(problems)
            continue
        ts = catalogue(language)
        update(ts)
        for path in args.merge:
            print(f"{path}: {merge(ts, json.loads(path.read_text(encoding='utf-8')))} translations filled in")
        qm = compile_qm(ts)
        left = unfinished(ts)
        print(f"{ts.relative_to(ROOT)}: {len(sources_of(ts))} strings, {len(left)} untranslated -> {qm.name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
