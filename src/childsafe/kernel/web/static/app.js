// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

// Narrow screens: the Menu button shows and hides the navigation (style.css hides it).
const header = document.querySelector("header.site");
const menu = header?.querySelector(".menu-toggle");
menu?.addEventListener("click", () => {
  const open = header.classList.toggle("open");
  menu.setAttribute("aria-expanded", String(open));
});

// A table or chart wider than the screen scrolls in its own box: keyboard users reach it too.
const markScrollers = () => {
  for (const box of document.querySelectorAll(".table-scroll, .chart-box")) {
    if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }
};
markScrollers();
window.addEventListener("resize", markScrollers);

// The map: zoom buttons (the .map box then pans by scrolling or dragging a finger), and the
// focused or hovered country's name and class spelled out under it.
for (const map of document.querySelectorAll(".map[data-zoom]")) {
  const tools = map.parentElement.querySelector(".map-tools");
  const label = tools?.querySelector(".map-focus");
  for (const button of tools?.querySelectorAll("button[data-zoom-by]") ?? []) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const factor = Number(button.dataset.zoomBy);
      const zoom = Math.min(16, Math.max(1, Number(map.dataset.zoom) * factor));
      const [cx, cy] = [map.scrollLeft + map.clientWidth / 2, map.scrollTop + map.clientHeight / 2];
      const ratio = zoom / Number(map.dataset.zoom);
      map.dataset.zoom = String(zoom);
      map.scrollLeft = cx * ratio - map.clientWidth / 2;
      map.scrollTop = cy * ratio - map.clientHeight / 2;
    });
  }
  const show = (event) => {
    const country = event.target.closest?.("a.country");
    if (country && label) label.textContent = country.getAttribute("aria-label");
  };
  map.addEventListener("focusin", show);
  map.addEventListener("mouseover", show);
}

// The triage clock: ages count up live, so a live-stream report's urgency stays visible.
const clocks = document.querySelectorAll(".clock[data-age]");
if (clocks.length) {
  const start = Date.now();
  const tick = () => {
    for (const clock of clocks) {
      const age = Number(clock.dataset.age) + Math.floor((Date.now() - start) / 1000);
      const minutes = Math.floor(age / 60), seconds = age % 60;
      // the units come translated from the page (data-minutes, data-seconds)
      const min = clock.dataset.minutes || "min", sec = clock.dataset.seconds || "s";
      clock.textContent = `${minutes} ${min} ${String(seconds).padStart(2, "0")} ${sec}`;
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
