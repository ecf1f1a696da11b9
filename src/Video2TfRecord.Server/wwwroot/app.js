// The page of video2tfrecord's web service: one form posting to /api/jobs, progress from /api/jobs/{id}/events.
"use strict";
const $ = (id) => document.getElementById(id);
const form = $("job"), files = $("files"), drop = $("drop"), key = $("key");
let dropped = null;
key.value = localStorage.getItem("video2tfrecord-key") || "";

const headers = () => (key.value ? { "X-Api-Key": key.value } : {});
const withKey = (url) => (key.value ? `${url}${url.includes("?") ? "&" : "?"}api_key=${encodeURIComponent(key.value)}` : url);
const text = (tag, content) => { const e = document.createElement(tag); e.textContent = content; return e; };

function chosen() { return dropped || Array.from(files.files); }
function showPicked() {
  const list = $("picked");
  list.replaceChildren(...chosen().map((f) => text("li", `${f.name} (${Math.round(f.size / 1024)} KB)`)));
}
files.addEventListener("change", () => { dropped = null; showPicked(); });
["dragenter", "dragover"].forEach((type) => drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); }));
["dragleave", "drop"].forEach((type) => drop.addEventListener(type, () => drop.classList.remove("over")));
drop.addEventListener("drop", (e) => { e.preventDefault(); dropped = Array.from(e.dataTransfer.files); showPicked(); });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  $("error").textContent = "";
  localStorage.setItem("video2tfrecord-key", key.value);
  const videos = chosen();
  if (videos.length === 0) { $("error").textContent = "Choose at least one video."; files.focus(); return; }
  const body = new FormData();
  videos.forEach((f) => body.append("files", f, f.name));
  if ($("labels").files[0]) body.append("labels", $("labels").files[0]);
  for (const field of form.querySelectorAll("[name]")) {
    if (field.type === "file" || field.value.trim() === "") continue;
    body.append(field.name, field.value.trim());
  }
  for (const line of $("more").value.split("\n")) {
    const at = line.indexOf("=");
    if (line.trim() && at > 0) body.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  $("start").disabled = true;
  try {
    const response = await fetch("/api/jobs", { method: "POST", body, headers: headers() });
    const answer = await response.json();
    if (!response.ok) { $("error").textContent = `${answer.error}: ${answer.detail}`; return; }
    follow(answer);
  } catch (e) {
    $("error").textContent = `The upload failed: ${e.message}`;
  } finally {
    $("start").disabled = false;
  }
});

function show(job) {
  $("progress").hidden = false;
  const done = job.videosTotal ? `${job.videosDone} of ${job.videosTotal} videos` : "";
  const where = job.status === "queued" ? `, waiting (position ${job.queuePosition})` : "";
  $("status").textContent = `Job ${job.id}: ${job.status}${where}${done ? ", " + done : ""}${job.framesPerSecond ? `, ${job.framesPerSecond} frames/s` : ""}${job.error ? ` — ${job.error}` : ""}`;
  $("bar").value = job.status === "succeeded" ? 1 : job.videosTotal ? job.videosDone / job.videosTotal : 0;
  $("failures").replaceChildren(...job.failures.map((f) => text("li", `${f.file}: ${f.reason}`)));
  const links = $("downloads");
  links.replaceChildren();
  if (job.status === "succeeded") {
    const archive = text("a", "Download everything (zip)");
    archive.href = withKey(`/api/jobs/${job.id}/archive`);
    archive.id = "archive";
    const list = document.createElement("ul");
    for (const f of job.files) {
      const a = text("a", `${f.name} (${f.bytes} bytes)`);
      a.href = withKey(`/api/jobs/${job.id}/files/${encodeURIComponent(f.name)}`);
      const li = document.createElement("li");
      li.append(a);
      list.append(li);
    }
    links.append(archive, list);
  }
}

function follow(job) {
  show(job);
  const events = new EventSource(withKey(`/api/jobs/${job.id}/events`));
  events.addEventListener("progress", (e) => show(JSON.parse(e.data)));
  events.addEventListener("done", (e) => { show(JSON.parse(e.data)); events.close(); listJobs(); });
  events.onerror = () => { events.close(); setTimeout(() => refresh(job.id), 2000); };
}

async function refresh(id) {
  const response = await fetch(`/api/jobs/${id}`, { headers: headers() });
  if (response.ok) { const job = await response.json(); job.status === "queued" || job.status === "running" ? follow(job) : show(job); }
}

async function listJobs() {
  const response = await fetch("/api/jobs", { headers: headers() });
  if (!response.ok) return;
  const rows = (await response.json()).map((job) => {
    const row = document.createElement("tr");
    const link = text("a", job.id.slice(0, 8));
    link.href = "#";
    link.addEventListener("click", (e) => { e.preventDefault(); job.status === "queued" || job.status === "running" ? follow(job) : show(job); });
    const cell = document.createElement("td");
    cell.append(link);
    row.append(cell, text("td", job.status), text("td", `${job.videosDone}/${job.videosTotal}`),
      text("td", new Date(job.created).toLocaleString()), text("td", String(job.files.length)));
    return row;
  });
  $("jobs").replaceChildren(...rows);
}
listJobs();
