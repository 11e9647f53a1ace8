// Focus or hover on a task shows its card (the mark's <title>) in the live region.
(function () {
  var card = document.getElementById("card");
  if (!card) { return; }
  document.querySelectorAll("[data-task][tabindex]").forEach(function (mark) {
    var show = function () {
      var title = mark.querySelector("title");
      card.textContent = title ? title.textContent : "";
    };
    mark.addEventListener("focus", show);
    mark.addEventListener("mouseenter", show);
  });
})();
