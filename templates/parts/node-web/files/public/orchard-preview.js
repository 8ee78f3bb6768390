// Tells Orchard's Studio which page of this app is open while its preview pane shows the app in a
// frame: a page on another origin cannot read a frame's address, so the app says it. Only the path
// is sent; outside a frame this does nothing. Keep it: the preview's address bar follows it.
(() => {
  if (window.parent === window) return;
  // lib/http.js (frame-ancestors) already lets only this app or the Orchard that deployed it frame
  // the pages; where the browser names the parent, send to that origin alone.
  const target = window.location.ancestorOrigins?.[0] ?? '*';
  const report = () => {
    const { pathname, search, hash } = window.location;
    window.parent.postMessage({ type: 'orchard:preview-location', path: pathname + search + hash }, target);
  };
  for (const method of ['pushState', 'replaceState']) {
    const original = window.history[method];
    window.history[method] = function (...args) {
      const result = original.apply(this, args);
      report();
      return result;
    };
  }
  window.addEventListener('popstate', report);
  window.addEventListener('hashchange', report);
  report();
})();
