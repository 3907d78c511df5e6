// 我的导出: while an export job is queued or running, its page (and the list) fetch
// themselves every few seconds and swap in the fresh state, without reloading the page
// (a timed reload, <meta http-equiv="refresh">, is a barrier to screen reader users).
// Without scripts the page offers a 刷新 link instead.
(function () {
  "use strict";
  var live = document.getElementById("export-live");
  if (!live || !live.dataset.refresh || !window.fetch || !window.DOMParser) {
    return;
  }
  var every = parseInt(live.dataset.refresh, 10) * 1000;

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("export-live");
        if (!fresh) {
          return;
        }
        live.innerHTML = fresh.innerHTML;
        if (fresh.dataset.refresh) {
          window.setTimeout(poll, every);
        } else {
          delete live.dataset.refresh;
        }
      })
      .catch(function () {
        window.setTimeout(poll, every * 3);
      });
  }

  window.setTimeout(poll, every);
})();
