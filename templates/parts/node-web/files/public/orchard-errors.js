// Reports the page's uncaught errors and unhandled promise rejections to this app's own server
// (POST /__telemetry/errors), which forwards them to Orchard with its traces and logs.
(() => {
  let sent = 0;
  function report(type, message, stack) {
    if (sent++ >= 20) return;
    try {
      fetch('/__telemetry/errors', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, message, stack, url: location.href, userAgent: navigator.userAgent }),
        keepalive: true,
      }).catch(() => undefined);
    } catch {
      // Reporting must never add an error of its own.
    }
  }
  window.addEventListener('error', (event) => {
    const error = event.error;
    report(
      error?.name ?? 'Error',
      error?.message ?? event.message,
      error?.stack ?? `${event.filename}:${event.lineno}`,
    );
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    report(reason?.name ?? 'UnhandledRejection', reason?.message ?? String(reason), reason?.stack ?? '');
  });
})();
