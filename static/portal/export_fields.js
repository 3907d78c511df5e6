// The export page's "select all" toggle, bound here because the portal's CSP refuses the
// inline onchange handler django-import-export's template uses.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
