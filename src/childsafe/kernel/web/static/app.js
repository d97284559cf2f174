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
