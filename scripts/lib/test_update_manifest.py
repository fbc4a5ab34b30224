"""Tests of scripts/update-manifest: run by scripts/test."""
import datetime
import importlib.machinery
import importlib.util
import pathlib
import tempfile
import unittest

_path = pathlib.Path(__file__).resolve().parents[1] / "update-manifest"
_loader = importlib.machinery.SourceFileLoader("update_manifest", str(_path))
_spec = importlib.util.spec_from_loader("update_manifest", _loader)
um = importlib.util.module_from_spec(_spec)
_loader.exec_module(um)

BASE = "https://github.com/o/r/releases/download/v0.2.0"
NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


class ManifestTest(unittest.TestCase):
    def test_every_bundle_the_release_makes_gets_its_platform_keys(self):
        files = {
            "AWS Setup Wizard_0.2.0_amd64.deb": "sig-deb",
            "AWS Setup Wizard-0.2.0-1.x86_64.rpm": "sig-rpm",
            "AWS Setup Wizard_0.2.0_x64-setup.exe": "sig-nsis",
            "AWS Setup Wizard_0.2.0_x64_ko-KR.msi": "sig-msi-ko",
            "AWS Setup Wizard_0.2.0_x64_en-US.msi": "sig-msi-en",
            "AWS Setup Wizard.app.tar.gz": "sig-app",
        }
        out = um.manifest(files, "0.2.0", BASE, now=NOW)
        p = out["platforms"]
        self.assertEqual(out["version"], "0.2.0")
        self.assertEqual(out["pub_date"], "2026-12-01T00:00:00Z")
        self.assertEqual(p["linux-x86_64-deb"]["signature"], "sig-deb")
        self.assertEqual(p["linux-x86_64-rpm"]["signature"], "sig-rpm")
        self.assertEqual(p["windows-x86_64"]["signature"], "sig-nsis")
        self.assertEqual(p["windows-x86_64-nsis"], p["windows-x86_64"])
        self.assertEqual(p["windows-x86_64-msi"]["signature"], "sig-msi-en")
        self.assertEqual(p["darwin-aarch64"]["signature"], "sig-app")
        self.assertEqual(p["darwin-aarch64-app"], p["darwin-aarch64"])
        self.assertEqual(
            p["linux-x86_64-deb"]["url"], BASE + "/AWS.Setup.Wizard_0.2.0_amd64.deb"
        )

    def test_no_signed_artifact_is_an_error(self):
        with self.assertRaises(ValueError):
            um.manifest({"notes.txt": "x"}, "0.2.0", BASE, now=NOW)

    def test_only_artifacts_with_a_sig_file_are_listed(self):
        with tempfile.TemporaryDirectory() as d:
            folder = pathlib.Path(d)
            (folder / "a_0.2.0_amd64.deb").write_bytes(b"deb")
            (folder / "a_0.2.0_amd64.deb.sig").write_text("sig-deb\n")
            (folder / "a-0.2.0-1.x86_64.rpm").write_bytes(b"rpm")
            self.assertEqual(um.signed_files(folder), {"a_0.2.0_amd64.deb": "sig-deb"})


if __name__ == "__main__":
    unittest.main()
