// The drawn signature: a canvas with pointer events; on submit it is posted as a PNG data URL.
(function () {
  const canvas = document.getElementById("signature-pad");
  const field = document.getElementById("id_signature");
  if (!canvas || !field) return;
  const ctx = canvas.getContext("2d");
  ctx.lineWidth = 2;
  ctx.lineCap = "round";
  ctx.strokeStyle = "#111";
  let drawing = false;
  let drawn = false;
  // A form sent back with an error keeps the signature drawn before: show it and send it again.
  let kept = field.value.startsWith("data:image/png;base64,") ? field.value : "";
  if (kept) {
    const image = new Image();
    image.onload = function () { if (!drawn) ctx.drawImage(image, 0, 0); };
    image.src = kept;
  }
  function point(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  }
  canvas.addEventListener("pointerdown", function (e) {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
    drawn = true;
  });
  function stop() { drawing = false; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  document.getElementById("signature-clear").addEventListener("click", function () {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    kept = "";
    field.value = "";
  });
  canvas.closest("form").addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : kept;
  });
})();
