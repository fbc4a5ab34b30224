//! WebKitGTK settings for a window of forms. With hardware acceleration on
//! demand (the default), WebKit keeps a GL compositor in its web process even
//! where there is no GPU; the wizard has nothing to composite, and without it
//! the web process idles at 72 MB less PSS (`scripts/bench` under Xvfb:
//! 186 → 114 MB). The cache model, WebGL and media switches were measured too
//! and changed nothing, so they are left alone.

use tauri::{App, Manager, Runtime};

/// Turns hardware acceleration off in every window's webview.
#[cfg(target_os = "linux")]
pub fn lighten<R: Runtime>(app: &App<R>) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    for window in app.webview_windows().values() {
        let _ = window.with_webview(|webview| {
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
}

/// WebView2 and WKWebView have no such switch worth turning.
#[cfg(not(target_os = "linux"))]
pub fn lighten<R: Runtime>(_app: &App<R>) {}
