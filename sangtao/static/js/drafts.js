// A draft's other buttons (issue, send, update the figures, attach) act on what is saved. With edits still unsaved in
// the draft form, they would be lost or ignored (a ticked "sign with my USB token" box, a corrected paragraph):
// say so and stay on the page instead.
document.addEventListener("DOMContentLoaded", () => {
  const draft = document.querySelector("form[data-draft]");
  if (!draft) return;
  let dirty = false;
  const mark = () => { dirty = true; };
  draft.addEventListener("input", mark);
  draft.addEventListener("change", mark);
  draft.addEventListener("submit", () => { dirty = false; });
  document.querySelectorAll("form[data-needs-saved]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!dirty) return;
      event.preventDefault();
      const note = document.getElementById("unsaved-note");
      note.hidden = false;
      note.scrollIntoView({ block: "center" });
    });
  });
});
