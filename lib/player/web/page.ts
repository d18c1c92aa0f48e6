// The web player's one page: the lab player's controls around a live <img>. Embedded as a string so the compiled
// binary carries it. Element ids are stable: the browser tests use them.

export const PLAYER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rtsp player</title>
<style>
  body { font: 14px system-ui, sans-serif; background: #111; color: #ddd; margin: 0; display: flex; flex-direction: column; align-items: center; }
  #screen { margin-top: 16px; background: #000; min-width: 384px; min-height: 288px; display: flex; align-items: center; justify-content: center; }
  #video { max-width: 100vw; image-rendering: auto; }
  #controls { margin: 12px; display: flex; gap: 6px; }
  button { font-size: 15px; padding: 6px 12px; }
  #counter { font-variant-numeric: tabular-nums; font-size: 16px; }
  #status { font-family: monospace; margin: 6px; white-space: pre; }
  pre { background: #222; padding: 8px; min-width: 384px; max-width: 90vw; overflow: auto; }
  pre:empty { display: none; }
</style>
</head>
<body>
<div id="screen"><img id="video" alt="video"></div>
<div id="controls">
  <button id="play">Play</button>
  <button id="pause">Pause</button>
  <button id="stop">Stop</button>
  <button id="describe">Describe</button>
  <button id="backward" title="back one second">⏪ Back</button>
  <button id="forward" title="forward one second">Forward ⏩</button>
  <button id="restart">Restart</button>
</div>
<div>frame <span id="counter" data-frame="0">0 / ?</span> · <span id="state">CONNECTING</span></div>
<div id="status"></div>
<pre id="description"></pre>
<pre id="statistics"></pre>
<script>
const video = document.getElementById("video");
const counter = document.getElementById("counter");
let totalFrames = null;
let shownUrl = null;
const socket = new WebSocket("ws://" + location.host + "/live");
socket.binaryType = "arraybuffer";
for (const command of ["play", "pause", "stop", "forward", "backward", "restart", "describe"]) {
  document.getElementById(command).addEventListener("click", () => socket.send(JSON.stringify({ command })));
}
function showCounter(frame) {
  counter.dataset.frame = String(frame);
  counter.textContent = frame + " / " + (totalFrames ?? "?");
}
// One picture loads at a time; frames arriving meanwhile replace each other, so the page shows the newest frame
// and never falls behind the stream.
let loading = false;
let waiting = null;
function showFrame(data) {
  if (loading) {
    waiting = data;
    return;
  }
  loading = true;
  const frame = new DataView(data).getUint32(0);
  const url = URL.createObjectURL(new Blob([new Uint8Array(data, 4)], { type: "image/jpeg" }));
  const settle = () => {
    if (shownUrl) URL.revokeObjectURL(shownUrl);
    shownUrl = url;
    showCounter(frame);
    loading = false;
    const next = waiting;
    waiting = null;
    if (next) showFrame(next);
  };
  video.onload = settle;
  video.onerror = settle;
  video.src = url;
}
socket.addEventListener("message", (event) => {
  if (typeof event.data !== "string") {
    showFrame(event.data);
    return;
  }
  const message = JSON.parse(event.data);
  if (message.type === "status") {
    totalFrames = message.totalFrames;
    document.getElementById("state").textContent = message.state;
    document.getElementById("status").textContent = message.line;
    document.getElementById("statistics").textContent = message.statistics.join("\\n");
    showCounter(Number(counter.dataset.frame));
  } else if (message.type === "description") {
    document.getElementById("description").textContent = message.text;
  } else if (message.type === "stopped") {
    document.getElementById("state").textContent = "STOPPED";
    for (const button of document.querySelectorAll("button")) button.disabled = true;
  }
});
socket.addEventListener("close", () => {
  if (document.getElementById("state").textContent !== "STOPPED") document.getElementById("state").textContent = "DISCONNECTED";
});
</script>
</body>
</html>
`;
