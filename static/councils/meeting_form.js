// The meeting form (templates/councils/meeting_form.html) without reloads. A new date fetches
// the roll of that day alone (?part=roll&on=) and keeps the ticks and reasons of the members
// still on it; 增加议题 adds an empty motion from the formset's <template>. Without
// JavaScript both buttons submit the form, and the page comes back with everything typed.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.meeting-form");
  if (form) {
    bindRoll(form);
    bindMotions(form);
  }
});

function bindRoll(form) {
  const roll = form.querySelector("[data-roll]");
  const date = form.querySelector("input[name='held_on']");
  if (!roll || !date) {
    return;
  }
  const refresh = async () => {
    if (!date.value) {
      return; // not a date yet: the roll stays that of the last one
    }
    const url = new URL(form.dataset.rollUrl, window.location.href);
    url.searchParams.set("on", date.value);
    url.searchParams.set("part", "roll");
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    const typed = typedRows(roll);
    roll.innerHTML = await response.text();
    restoreRows(roll, typed);
  };
  date.addEventListener("change", refresh);
  const button = form.querySelector("[data-refresh-roll]");
  if (button) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      refresh();
    });
  }
}

function typedRows(roll) {
  const typed = new Map();
  roll.querySelectorAll("li[data-membership]").forEach((row) => {
    typed.set(row.dataset.membership, {
      present: row.querySelector("input[type='checkbox']").checked,
      reason: row.querySelector("input[type='text']").value,
    });
  });
  return typed;
}

function restoreRows(roll, typed) {
  roll.querySelectorAll("li[data-membership]").forEach((row) => {
    const kept = typed.get(row.dataset.membership);
    if (kept) {
      row.querySelector("input[type='checkbox']").checked = kept.present;
      row.querySelector("input[type='text']").value = kept.reason;
    }
  });
}

function bindMotions(form) {
  const button = form.querySelector("[data-add-motion]");
  const template = form.querySelector("template#motion-template");
  const total = form.querySelector("input[name='motions-TOTAL_FORMS']");
  const list = form.querySelector("[data-motions]");
  if (!button || !template || !total || !list) {
    return;
  }
  button.addEventListener("click", (event) => {
    event.preventDefault();
    const index = Number(total.value);
    list.insertAdjacentHTML(
      "beforeend",
      template.innerHTML.replaceAll("__prefix__", index).replaceAll("__number__", index + 1),
    );
    total.value = index + 1;
    list.lastElementChild.querySelector("input:not([type='hidden']), textarea").focus();
  });
}
