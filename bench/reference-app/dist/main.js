// The page's first script: the same signal as the wizard's first screen.
window.__TAURI_INTERNALS__.invoke('first_screen_ready');
