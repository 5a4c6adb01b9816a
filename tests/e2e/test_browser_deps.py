"""scripts/browser_deps.sh, the first step of `make test`, run against stand-in commands.

The script looks up chromium, fc-list, id and apt-get on PATH only, so each test gives it a PATH
holding nothing but small stand-ins: nothing is installed or uninstalled on the machine, and the
stand-in apt-get writes down how it was called.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "browser_deps.sh"
FONT_LINE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc: WenQuanYi Micro Hei:style=Regular"


@dataclass
class Machine:
    """A directory of stand-in commands: the whole PATH the script sees."""

    bin: Path

    def command(self, name: str, body: str, where: Path | None = None) -> None:
        path = (where or self.bin) / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    def user(self, uid: int) -> None:
        self.command("id", f"echo {uid}")

    def chromium(self, where: Path | None = None) -> None:
        self.command("chromium", "exit 0", where)

    def fonts(self, *lines: str, where: Path | None = None) -> None:
        self.command("fc-list", "".join(f"echo '{line}'\n" for line in lines), where)

    def apt_get(self, *, fail_first_install: bool = False, installs: bool = True) -> None:
        """apt-get that logs each call; its install puts chromium and the font on this PATH."""
        packages, log, failed = self.bin.parent / "packages", self.apt_log, self.bin.parent / "failed-once"
        packages.mkdir()
        if installs:
            self.chromium(where=packages)
            self.fonts(FONT_LINE, where=packages)
        fail = f"[ -e {failed} ] || {{ : > {failed}; exit 100; }}" if fail_first_install else ""
        install = f'for package in {packages}/*; do /bin/cp "$package" {self.bin}/ || exit 0; done'
        self.command("apt-get", f'echo "$*" >> {log}\n[ "$1" = install ] || exit 0\n{fail}\n{install}')

    @property
    def apt_log(self) -> Path:
        return self.bin.parent / "apt.log"

    @property
    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []

    def check(self, **environment: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["/bin/bash", str(SCRIPT)],
            env={"PATH": str(self.bin), **environment},
            capture_output=True,
            text=True,
            timeout=30,
        )


def machine(tmp_path: Path) -> Machine:
    (tmp_path / "bin").mkdir()
    return Machine(tmp_path / "bin")


def test_a_user_without_chromium_is_told_the_one_command_to_run_and_nothing_is_installed(
    tmp_path: Path,
) -> None:
    host = machine(tmp_path)
    host.user(1000)
    host.fonts()
    host.apt_get()

    result = host.check()

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "browser tests need chromium fonts-wqy-microhei; "
        "run: sudo apt-get install -y chromium fonts-wqy-microhei"
    ]
    assert host.apt_calls == []


def test_only_what_is_missing_is_named(tmp_path: Path) -> None:
    host = machine(tmp_path)
    host.user(1000)
    host.fonts(FONT_LINE)
    host.apt_get()

    result = host.check()

    assert result.returncode == 1
    assert result.stderr == "browser tests need chromium; run: sudo apt-get install -y chromium\n"


def test_a_machine_with_everything_passes_and_installs_nothing(tmp_path: Path) -> None:
    host = machine(tmp_path)
    host.user(0)
    host.chromium()
    host.fonts("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC:style=Regular")
    host.apt_get()

    result = host.check()

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert host.apt_calls == []


def test_another_chromium_named_by_the_environment_stands_in_for_debians(tmp_path: Path) -> None:
    host = machine(tmp_path)
    host.user(1000)
    host.fonts(FONT_LINE)
    other = tmp_path / "chrome"
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)

    result = host.check(YIJIANSHI_CHROMIUM=str(other))

    assert (result.returncode, result.stderr) == (0, "")


def test_a_chromium_named_by_the_environment_that_is_not_there_stops_the_check(tmp_path: Path) -> None:
    host = machine(tmp_path)
    host.user(0)
    host.chromium()
    host.fonts(FONT_LINE)
    host.apt_get()

    result = host.check(YIJIANSHI_CHROMIUM=str(tmp_path / "nowhere"))

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert "YIJIANSHI_CHROMIUM" in result.stderr
    assert host.apt_calls == []


def test_root_installs_what_is_missing_updating_the_package_lists_when_the_first_try_fails(
    tmp_path: Path,
) -> None:
    host = machine(tmp_path)
    host.user(0)
    host.fonts()
    host.apt_get(fail_first_install=True)

    result = host.check()

    assert result.returncode == 0, result.stderr
    assert host.apt_calls == [
        "install -y -q chromium fonts-wqy-microhei",
        "update -q",
        "install -y -q chromium fonts-wqy-microhei",
    ]


def test_root_is_stopped_when_the_install_leaves_something_missing(tmp_path: Path) -> None:
    host = machine(tmp_path)
    host.user(0)
    host.fonts()
    host.apt_get(installs=False)

    result = host.check()

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "browser tests: could not install chromium fonts-wqy-microhei; "
        "run: apt-get install -y chromium fonts-wqy-microhei"
    )


def test_without_apt_get_the_user_is_told_what_to_install_in_one_line(tmp_path: Path) -> None:
    host = machine(tmp_path)
    host.user(1000)

    result = host.check()

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert "Chromium and a CJK font" in result.stderr
