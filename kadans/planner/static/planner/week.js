// The week planner's map: a numbered marker per visit and each day's route, drawn from the JSON the page
// carries (#planner-data) with the vendored Leaflet; drawn again when htmx swaps the board.
(function () {
  "use strict";
  var COLOURS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#c2410c", "#0f766e", "#a21caf"];
  var map = null;

  function draw() {
    var holder = document.getElementById("planner-map");
    var source = document.getElementById("planner-data");
    if (!holder || !source || !window.L) return;
    var data = JSON.parse(source.textContent);
    if (map) { map.remove(); map = null; }
    map = L.map(holder, { scrollWheelZoom: false });
    L.tileLayer(data.tile_url, { maxZoom: 18, attribution: data.attribution }).addTo(map);
    // the view first: Leaflet makes a marker's element only once the map has one
    var bounds = [];
    data.days.forEach(function (day) {
      day.stops.forEach(function (stop) { bounds.push([stop.lat, stop.lon]); });
      day.route.forEach(function (p) { bounds.push(p); });
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
    else map.setView([50.85, 4.35], 8);
    data.days.forEach(function (day, d) {
      var colour = COLOURS[d % COLOURS.length];
      if (day.route.length > 1) {
        L.polyline(day.route, { color: colour, weight: 3, opacity: 0.8, className: "planner-route" })
          .addTo(map);
      }
      day.stops.forEach(function (stop) {
        var icon = L.divIcon({
          className: "planner-marker",
          html: '<span style="background:' + colour + '">' + stop.n + "</span>",
          iconSize: [24, 24], iconAnchor: [12, 12]
        });
        L.marker([stop.lat, stop.lon], { icon: icon, title: stop.name, alt: stop.name })
          .bindTooltip(day.date + " " + stop.time + " · " + stop.name)
          .addTo(map)
          .getElement().dataset.proposal = stop.id;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "board") draw();
  });
})();
