// The error summary above a form (templates/portal/forms/errors.html): focused when the
// page loads, so it is read first, and its links put the focus in the field they name
// (following a #id link only scrolls) with the field's label in view.
document.addEventListener("DOMContentLoaded", () => {
  const summaries = document.querySelectorAll("[data-error-summary]:not([data-bound])");
  summaries.forEach((summary) => {
    summary.dataset.bound = "true";
    summary.addEventListener("click", goToField);
  });
  if (summaries.length) {
    summaries[0].focus();
  }
});

function goToField(event) {
  const link = event.target.closest("a[href^='#']");
  const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) {
    return;
  }
  event.preventDefault();
  if (!target.matches("input, select, textarea, button, a[href]")) {
    target.setAttribute("tabindex", "-1"); // a block such as the attendance list
  }
  const label = document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
  (label || target).scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}
