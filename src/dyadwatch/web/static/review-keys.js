// Keyboard review on an event page: c confirms, x rejects (each saves at once), n opens the next event of the
// review queue. Keys typed into a form field are left alone.
"use strict";
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey || (target && target.closest("input, select, textarea"))) {
    return;
  }
  var form = document.querySelector("form.review-form");
  var actions = {c: "confirm", x: "reject"};
  if (form && actions[event.key]) {
    var choice = form.querySelector('input[name="action"][value="' + actions[event.key] + '"]');
    if (choice) {
      choice.checked = true;
      event.preventDefault();
      form.requestSubmit();
    }
  } else if (event.key === "n") {
    var next = document.getElementById("next-in-queue");
    if (next) {
      event.preventDefault();
      window.location.assign(next.getAttribute("href"));
    }
  }
});
