// Progressive enhancement only: every page works without this file.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined) {
    target.form?.requestSubmit();
  }
});

// The triage clock: ages count up live, so a live-stream report's urgency stays visible.
const clocks = document.querySelectorAll(".clock[data-age]");
if (clocks.length) {
  const start = Date.now();
  const tick = () => {
    for (const clock of clocks) {
      const age = Number(clock.dataset.age) + Math.floor((Date.now() - start) / 1000);
      const minutes = Math.floor(age / 60), seconds = age % 60;
      clock.textContent = `${minutes} min ${String(seconds).padStart(2, "0")} s`;
    }
  };
  tick();
  setInterval(tick, 1000);
}

// Search suggestions as you type; without this file the box is a plain form to /{lang}/search.
for (const box of document.querySelectorAll("input[data-suggest]")) {
  const list = box.list;
  let pending = null;
  box.addEventListener("input", () => {
    clearTimeout(pending);
    const query = box.value.trim();
    if (!list || query.length < 2) return;
    pending = setTimeout(async () => {
      const response = await fetch(box.dataset.suggest + encodeURIComponent(query));
      if (!response.ok) return;
      const found = await response.json();
      list.replaceChildren(...found.results.map((result) => {
        const option = document.createElement("option");
        option.value = result.label;
        return option;
      }));
    }, 150);
  });
}
