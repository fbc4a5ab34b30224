//! Where each installer puts the `aws-setup` CLI, for the `credential_process`
//! line the app writes. A pure function of (OS, the app's own binary, the
//! app's resource folder), so the rule for every OS is tested on any OS:
//! - Linux: the .deb and .rpm install both binaries in `/usr/bin`, so beside the app;
//! - macOS: the release workflow puts it in `Contents/MacOS/`, beside the app's binary;
//! - Windows: the release workflow ships it as a bundle resource, in the resource folder.
//!
//! A development build (cargo builds both into one target folder) finds it
//! beside the app on every OS.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }

    pub fn cli_file_name(self) -> &'static str {
        match self {
            Os::Windows => "aws-setup.exe",
            Os::Linux | Os::MacOs => "aws-setup",
        }
    }
}

/// The places to look, best first: where this OS's installer puts the CLI,
/// then beside the app (a development build) when that is another place.
pub fn cli_candidates(os: Os, app_exe: &Path, resource_dir: Option<&Path>) -> Vec<PathBuf> {
    let name = os.cli_file_name();
    let beside = app_exe.parent().map(|dir| dir.join(name));
    let installed = match os {
        Os::Windows => resource_dir.map(|dir| dir.join(name)),
        Os::Linux | Os::MacOs => beside.clone(),
    };
    let mut places: Vec<PathBuf> = installed.into_iter().collect();
    places.extend(beside.filter(|b| !places.contains(b)));
    places
}

/// The first candidate that `exists`, else `fallback` (the `AWS_SETUP_CLI`
/// variable the tests set).
pub fn find_cli(
    os: Os,
    app_exe: &Path,
    resource_dir: Option<&Path>,
    exists: impl Fn(&Path) -> bool,
    fallback: Option<PathBuf>,
) -> Option<PathBuf> {
    cli_candidates(os, app_exe, resource_dir)
        .into_iter()
        .find(|p| exists(p))
        .or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(found: &Path) -> impl Fn(&Path) -> bool + '_ {
        move |p| p == found
    }

    #[test]
    fn linux_deb_points_at_usr_bin() {
        let exe = Path::new("/usr/bin/aws-setup-wizard");
        let want = Path::new("/usr/bin/aws-setup");
        assert_eq!(
            cli_candidates(Os::Linux, exe, Some(Path::new("/usr/lib/AWS Setup Wizard")))[0],
            want
        );
        assert_eq!(find_cli(Os::Linux, exe, None, only(want), None).as_deref(), Some(want));
    }

    #[test]
    fn macos_app_points_inside_contents_macos() {
        let exe = Path::new("/Applications/AWS Setup Wizard.app/Contents/MacOS/aws-setup-wizard");
        let resources = Path::new("/Applications/AWS Setup Wizard.app/Contents/Resources");
        let want = Path::new("/Applications/AWS Setup Wizard.app/Contents/MacOS/aws-setup");
        assert_eq!(cli_candidates(Os::MacOs, exe, Some(resources)), vec![want.to_path_buf()]);
        assert_eq!(find_cli(Os::MacOs, exe, Some(resources), only(want), None).as_deref(), Some(want));
    }

    #[test]
    fn windows_points_at_the_resource_folder() {
        let exe = Path::new(r"C:\Program Files\AWS Setup Wizard\aws-setup-wizard.exe");
        let resources = Path::new(r"C:\Program Files\AWS Setup Wizard\resources");
        let want = resources.join("aws-setup.exe");
        let places = cli_candidates(Os::Windows, exe, Some(resources));
        assert_eq!(places[0], want);
        assert!(places[0].ends_with("aws-setup.exe"));
        assert_eq!(find_cli(Os::Windows, exe, Some(resources), only(&want), None), Some(want));
    }

    #[cfg(windows)]
    #[test]
    fn windows_path_is_one_backslashed_path() {
        let exe = Path::new(r"C:\Users\me\AppData\Local\AWS Setup Wizard\aws-setup-wizard.exe");
        let resources = Path::new(r"C:\Users\me\AppData\Local\AWS Setup Wizard");
        let found = find_cli(Os::Windows, exe, Some(resources), |p| p.ends_with("aws-setup.exe"), None).unwrap();
        assert_eq!(found, Path::new(r"C:\Users\me\AppData\Local\AWS Setup Wizard\aws-setup.exe"));
    }

    #[test]
    fn a_development_build_finds_it_beside_the_app_on_every_os() {
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            let exe = Path::new("/src/target/debug/aws-setup-wizard");
            let beside = Path::new("/src/target/debug").join(os.cli_file_name());
            let resources = Path::new("/src/target/debug/resources");
            assert_eq!(
                find_cli(os, exe, Some(resources), only(&beside), None),
                Some(beside.clone()),
                "{os:?}"
            );
        }
    }

    #[test]
    fn nothing_found_falls_back_to_the_variable_else_none() {
        let exe = Path::new("/usr/bin/aws-setup-wizard");
        let fallback = PathBuf::from("/opt/aws-setup");
        assert_eq!(find_cli(Os::Linux, exe, None, |_| false, Some(fallback.clone())), Some(fallback));
        assert_eq!(find_cli(Os::Windows, exe, None, |_| false, None), None);
    }

    #[test]
    fn the_current_os_is_the_compiled_one() {
        let os = Os::current();
        assert_eq!(os == Os::Windows, cfg!(windows));
        assert_eq!(os == Os::MacOs, cfg!(target_os = "macos"));
    }
}
