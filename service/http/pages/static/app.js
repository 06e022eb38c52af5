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
  // "Ký số văn bản này": the VGCA Sign Service on this computer (its WebSocket, as the Ban Cơ
  // yếu's vgcaplugin calls it) fetches the PDF from the signing link and posts the signed copy
  // back to it; then the job says whether the copy was taken
  const vgca = document.getElementById("vgca");
  const signButton = document.getElementById("vgca-sign");
  if (vgca && signButton) {
    const status = document.getElementById("vgca-status");
    const say = (text, kind) => { status.textContent = text; status.className = kind || "hint"; };
    const missing = "Không kết nối được phần mềm ký số VGCA Sign Service trên máy này. Hãy kiểm tra:\n" +
      "1. Đã cài VGCA Sign Service (phần mềm ký số của Ban Cơ yếu Chính phủ) và phần mềm đang chạy.\n" +
      "2. Đã cắm USB ký số vào máy.\n" +
      `3. Nếu vẫn không được: mở ${vgca.dataset.pluginPage} trong trình duyệt một lần, chấp nhận chứng thư, rồi bấm lại.\n` +
      "Không có USB ký số: in văn bản, ký tay và tải bản quét ở mục Bản ký tay.";
    const taken = async () => {
      const response = await fetch(vgca.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const job = response.ok ? await response.json() : { documents: [] };
      const doc = (job.documents || []).find((d) => d.name === vgca.dataset.name);
      if (doc && doc.signed) {
        say("Đã nhận bản ký số. Đang tải lại trang…", "ok");
        window.location.reload();
      } else {
        say("Phần mềm ký báo đã ký, nhưng dịch vụ chưa nhận được bản ký hợp lệ. Hãy bấm ký lại, " +
            "hoặc lưu tệp đã ký và dùng “Tải bản đã ký”.", "error");
      }
    };
    signButton.hidden = false;
    say("Bấm nút để ký; phần mềm ký sẽ hỏi chọn chứng thư và mã PIN.");
    signButton.addEventListener("click", () => {
      signButton.disabled = true;
      say("Đang gọi phần mềm ký số trên máy này…");
      let answered = false;
      let socket;
      try {
        socket = new WebSocket(vgca.dataset.plugin);
      } catch (e) {
        say(missing, "error"); signButton.disabled = false; return;
      }
      socket.onopen = () => {
        say("Phần mềm ký đã mở: hãy chọn chứng thư, nhập mã PIN và xác nhận ký.");
        socket.send(JSON.stringify({ FileUploadHandler: vgca.dataset.upload, SessionId: "", JWTToken: "",
                                     FileName: vgca.dataset.pdf }));
      };
      socket.onmessage = (event) => {
        answered = true;
        let reply;
        try { reply = JSON.parse(event.data); } catch (e) { reply = { Status: -1, Message: String(event.data) }; }
        socket.close();
        signButton.disabled = false;
        if (Number(reply.Status) === 0) { taken(); return; }
        say(`Chưa ký được: ${reply.Message || "phần mềm ký báo lỗi hoặc việc ký đã bị huỷ"}.`, "error");
      };
      socket.onerror = () => { if (!answered) { answered = true; say(missing, "error"); signButton.disabled = false; } };
      socket.onclose = () => {
        if (!answered) { say(missing, "error"); signButton.disabled = false; }
      };
    });
  }
  // a member's self-review: the total and the level band as she types (the server checks again)
  const scores = document.querySelectorAll("#scores input.score");
  const total = document.getElementById("score-total");
  if (scores.length && total) {
    const bands = [[90, "Hoàn thành xuất sắc nhiệm vụ"], [70, "Hoàn thành tốt nhiệm vụ"],
                   [50, "Hoàn thành nhiệm vụ"], [0, "Không hoàn thành nhiệm vụ"]];
    const show = () => {
      let sum = 0; let ok = true;
      scores.forEach((el) => {
        const text = el.value.trim().replace(",", ".");
        const value = Number(text);
        const bad = text === "" || !/^\d{1,3}(\.\d)?$/.test(text) || value > Number(el.dataset.max);
        el.classList.toggle("invalid", text !== "" && bad);
        if (bad) ok = false; else sum += value;
      });
      const shown = String(Math.round(sum * 10) / 10).replace(".", ",");
      total.textContent = ok ? `Tổng điểm: ${shown}/100, ứng với mức ${bands.find(([floor]) => sum >= floor)[1]}.`
        : "Tổng điểm: ……/100 (mỗi nhóm ghi một số không quá mức tối đa).";
    };
    scores.forEach((el) => el.addEventListener("input", show));
  }
  // the chi bộ's score by criteria group (Mẫu 01 part B): each group's limit, the total and its
  // level band as the secretary types (the server checks again and names the group)
  const groupRows = document.querySelectorAll("#groups tr.group-row");
  const groupTotal = document.getElementById("group-total");
  if (groupRows.length && groupTotal) {
    const levels = [[90, "Hoàn thành xuất sắc nhiệm vụ"], [70, "Hoàn thành tốt nhiệm vụ"],
                    [50, "Hoàn thành nhiệm vụ"], [0, "Không hoàn thành nhiệm vụ"]];
    const number = (el) => {
      const text = el.value.trim().replace(",", ".");
      return text === "" ? null : (/^\d{1,3}(\.\d+)?$/.test(text) ? Number(text) : NaN);
    };
    const vn = (value) => String(Math.round(value * 10) / 10).replace(".", ",");
    const showGroups = () => {
      let sum = 0; let most = 0; let used = 0; let ok = true;
      groupRows.forEach((row, index) => {
        const max = number(row.querySelector("input[name$='-max']"));
        const scoreInput = row.querySelector("input[name$='-score']");
        const score = number(scoreInput);
        const note = row.querySelector(".group-limit");
        const over = max !== null && score !== null && score > max;
        note.hidden = !over;
        note.textContent = over ? `Nhóm tiêu chí ${index + 1}: tối đa ${vn(max)} điểm` : "";
        scoreInput.classList.toggle("invalid", over || Number.isNaN(score));
        if (max === null && score === null) return;
        used += 1;
        if (over || Number.isNaN(score) || Number.isNaN(max) || max === null || score === null) ok = false;
        else { sum += score; most += max; }
      });
      if (!used) { groupTotal.textContent = ""; return; }
      if (!ok) {
        groupTotal.textContent = "Tổng điểm: ……/100 (mỗi nhóm ghi điểm tối đa và điểm tự chấm, không quá mức tối đa).";
        return;
      }
      const band = levels.find(([floor]) => sum >= floor)[1];
      groupTotal.textContent = Math.abs(most - 100) > 1e-9
        ? `Tổng điểm: ${vn(sum)}; điểm tối đa các nhóm cộng lại là ${vn(most)}, phải là 100.`
        : `Tổng điểm: ${vn(sum)}/100, ứng với mức ${band}.`;
    };
    groupRows.forEach((row) => row.querySelectorAll("input").forEach((el) => el.addEventListener("input", showGroups)));
    showGroups();
  }
  // after login: the kept form goes back to its page by itself
  const resume = document.querySelector("form[data-autosubmit]");
  if (resume) resume.submit();
})();
