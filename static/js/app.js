/* Small behaviour for every page. No inline scripts: the Content Security Policy forbids them. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// A link to a step under "Afsluiten" opens that step's form; without script it scrolls to it.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-open-step]");
  var step = link && document.getElementById(link.getAttribute("href").slice(1));
  if (step && step.tagName === "DETAILS") {
    step.open = true;
  }
});
