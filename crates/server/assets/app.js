// Tuonti's few scripts: the progress bar of a running job, the chosen files' list, the
// "as for every file" options of step 4 that show the choice for every file, and the
// preview's row buttons.
// Every page works without them (a running job's page refreshes itself). Their texts come
// from the page (data attributes the server writes in the page's language), and numbers are
// written the way the page's language writes them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const job = document.querySelector("[data-job-poll]");
  if (job) {
    // The page refreshes itself with a meta tag; polling the API is smoother.
    const meta = document.querySelector("meta[http-equiv=refresh]");
    if (meta) meta.remove();
    const bar = job.querySelector("progress");
    const label = job.querySelector("[data-job-rows]");
    const url = job.getAttribute("data-job-poll");
    const tick = async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) {
          const data = await response.json();
          if (bar && data.rows_total) { bar.max = data.rows_total; bar.value = data.rows_done; }
          if (label) label.textContent = data.rows_done.toLocaleString(document.documentElement.lang || undefined);
          if (data.status !== "running" || data.interrupted) { window.location.reload(); return; }
        }
      } catch (e) { /* try again */ }
      setTimeout(tick, 500);
    };
    setTimeout(tick, 300);
  }

  const input = document.querySelector("input[type=file][data-file-list]");
  if (input) {
    const list = document.getElementById(input.getAttribute("data-file-list"));
    const limit = Number(input.getAttribute("data-max-bytes") || 0);
    input.addEventListener("change", () => {
      list.textContent = "";
      for (const file of input.files) {
        const li = document.createElement("li");
        const mb = (file.size / 1048576).toLocaleString(document.documentElement.lang || undefined,
          { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        li.textContent = file.name + " (" + mb + " MB)";
        if (limit && file.size > limit) { li.className = "sev-error"; li.textContent += " – " + input.getAttribute("data-too-large"); }
        list.appendChild(li);
      }
    });
  }

  // Step 4: a file's "as for every file" option names what the first row now chooses (a new
  // group typed for every file wins over the group chosen there).
  const newGroup = document.getElementById("new_group");
  const showEvery = (every) => {
    let chosen = every.value ? every.options[every.selectedIndex].text : "";
    if (every.name === "customer_group" && newGroup && newGroup.value.trim()) chosen = newGroup.value.trim();
    for (const option of document.querySelectorAll("option[data-every='" + every.name + "']")) {
      option.textContent = chosen ? "= " + chosen : option.getAttribute("data-every-none");
    }
  };
  for (const every of document.querySelectorAll("tr.every-file select")) {
    every.addEventListener("change", () => showEvery(every));
  }
  const groupEvery = document.querySelector("tr.every-file select[name=customer_group]");
  if (newGroup && groupEvery) newGroup.addEventListener("input", () => showEvery(groupEvery));

  // The preview's rows: all / none / only valid / only new tick the boxes in the page (without
  // the script, the buttons save the choice on the server); "Save" then sends it.
  for (const button of document.querySelectorAll("form button[data-select]")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const which = button.getAttribute("data-select");
      for (const box of document.querySelectorAll("input[type=checkbox][name=row][form='" + button.form.id + "']")) {
        const action = box.closest("tr").getAttribute("data-action");
        box.checked = which === "all"
          || (which === "valid" && action !== "reject" && action !== "not_selected")
          || (which === "new" && action === "create");
      }
    });
  }
});
