// Live progress on the batch and job pages, "add a row" on the meeting form, and the form
// kept from an expired session sent back to its page after login.
// Everything works without this file: the pages are complete when reloaded.
(function () {
  const box = document.getElementById("progress");
  const final = ["done", "failed", "incomplete", "draft"];
  if (box && !final.includes(box.dataset.status)) {
    const bar = document.getElementById("bar");
    const text = document.getElementById("progress-text");
    const words = { queued: "đang chờ", running: "đang tạo", done: "hoàn tất", failed: "có lỗi",
                    incomplete: "chưa đủ (cần tạo lại)", draft: "bản nháp" };
    const tick = async () => {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) { setTimeout(tick, 5000); return; }
      const body = await response.json();
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
  // "Thêm đảng viên" / "Thêm ý kiến": a copy of the last row, emptied, numbered next
  const adder = (buttonId, tableId, rowClass, prefix) => {
    const add = document.getElementById(buttonId);
    const table = document.getElementById(tableId);
    if (!add || !table) return;
    add.hidden = false;
    add.addEventListener("click", () => {
      const rows = table.querySelectorAll(`tbody tr.${rowClass}`);
      const last = rows[rows.length - 1];
      const copy = last.cloneNode(true);
      const index = rows.length;
      const pattern = new RegExp(`^${prefix}-\\d+-`);
      copy.querySelectorAll("input, select, textarea").forEach((el) => {
        el.name = el.name.replace(pattern, `${prefix}-${index}-`);
        el.classList.remove("invalid");
        if (el.type === "checkbox") el.checked = false;
        else if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = "";
      });
      copy.querySelectorAll(".error").forEach((el) => el.remove());
      const num = copy.querySelector("td.num");
      if (num) num.firstChild.textContent = index + 1;
      table.querySelector("tbody").appendChild(copy);
      const first = copy.querySelector("input:not([type=hidden]), textarea");
      if (first) first.focus();
    });
  };
  adder("add-row", "members", "member-row", "m");
  adder("add-speech", "speeches", "speech-row", "s");
  adder("add-roster-row", "roster", "roster-row", "r");
  adder("add-assignment", "assignments", "assignment-row", "a");
  adder("add-resolution", "resolutions", "resolution-row", "r");
  // after login: the kept form goes back to its page by itself
  const resume = document.querySelector("form[data-autosubmit]");
  if (resume) resume.submit();
})();
