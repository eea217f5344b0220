// Place a helpee's door: click the map or drag the marker; the two fields follow.
// Without tiles (MAP_TILES_URL empty, or unreachable) the marker and fields still work.
(function () {
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var start = [parseFloat(latitude.value), parseFloat(longitude.value)];
  var map = L.map(element, { keyboard: true, zoomControl: false }).setView(start, 17);
  // The zoom buttons in the page's language (Leaflet's own labels are English).
  L.control.zoom({
    zoomInTitle: element.dataset.zoomIn || "+",
    zoomOutTitle: element.dataset.zoomOut || "−"
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
  }
  var marker = L.marker(start, { draggable: true, keyboard: true }).addTo(map);
  function show(point) {
    latitude.value = point.lat.toFixed(6);
    longitude.value = point.lng.toFixed(6);
  }
  marker.on("dragend", function () { show(marker.getLatLng()); });
  map.on("click", function (event) { marker.setLatLng(event.latlng); show(event.latlng); });
  function follow() {
    var point = [parseFloat(latitude.value), parseFloat(longitude.value)];
    if (!isNaN(point[0]) && !isNaN(point[1])) { marker.setLatLng(point); map.panTo(point); }
  }
  latitude.addEventListener("change", follow);
  longitude.addEventListener("change", follow);
})();
