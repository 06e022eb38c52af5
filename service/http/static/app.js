// Live progress on the batch and job pages, and "add a row" on the meeting form.
// Everything works without this file: the pages are complete when reloaded.
(function () {
  const box = document.getElementById("progress");
  const final = ["done", "failed", "incomplete"];
  if (box && !final.includes(box.dataset.status)) {
    const bar = document.getElementById("bar");
    const text = document.getElementById("progress-text");
    const words = { queued: "đang chờ", running: "đang tạo", done: "hoàn tất", failed: "có lỗi",
                    incomplete: "chưa đủ (cần tạo lại)" };
    const tick = async () => {
      const body = await (await fetch(box.dataset.statusUrl)).json();
      const total = body.total ?? (body.documents || []).length;
      const finished = body.done !== undefined ? body.done + body.failed
        : (body.documents || []).filter((d) => ["done", "failed"].includes(d.status)).length;
      if (bar) { bar.max = total; bar.value = finished; }
      const pct = total ? Math.floor((finished * 100) / total) : 100;
      text.textContent = `${finished}/${total} tài liệu (${pct}%) · ${words[body.status] || body.status}` +
        (body.failed ? ` · ${body.failed} lỗi` : "");
      if (final.includes(body.status)) { window.location.reload(); return; }
      setTimeout(tick, 1500);
    };
    setTimeout(tick, 1000);
  }
  const add = document.getElementById("add-row");
  const table = document.getElementById("members");
  if (add && table) {
    add.hidden = false;
    add.addEventListener("click", () => {
      const rows = table.querySelectorAll("tbody tr.member-row");
      const last = rows[rows.length - 1];
      const copy = last.cloneNode(true);
      const index = rows.length;
      copy.querySelectorAll("input, select").forEach((el) => {
        el.name = el.name.replace(/^m-\d+-/, `m-${index}-`);
        if (el.tagName === "INPUT") el.value = "";
      });
      copy.querySelectorAll(".error").forEach((el) => el.remove());
      copy.firstElementChild.textContent = index + 1;
      table.querySelector("tbody").appendChild(copy);
    });
  }
})();
