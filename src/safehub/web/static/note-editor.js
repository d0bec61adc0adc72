// The note editor's live language check. Progressive enhancement only: without this script the
// form posts normally and the server checks the note before saving it.
//
// As the professional types, the draft is sent (debounced) to /api/v1/language/check and the
// flags are shown beside the textarea with why and what to write instead; a flag with a drop-in
// alternative has a button that puts it into the note. The draft is also kept on the server
// (at most every few seconds), so a session timeout never loses what was typed.

const CHECK_DELAY_MS = 400;
const DRAFT_INTERVAL_MS = 5000;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function severityTag(severity) {
  const error = severity === "error";
  return element("strong", `govuk-tag ${error ? "govuk-tag--red" : "govuk-tag--yellow"}`,
    error ? "Change this" : "Think about this");
}

function flagItem(flag, accept) {
  const item = element("li", "govuk-!-margin-bottom-4");
  const head = element("p", "govuk-body govuk-!-margin-bottom-1");
  head.append(element("strong", "", `“${flag.text}”`), " ", severityTag(flag.severity));
  item.append(head);
  if (flag.rule_title) {
    item.append(element("p", "govuk-body-s govuk-!-margin-bottom-1", `Rule: ${flag.rule_title}`));
  }
  item.append(element("p", "govuk-body-s govuk-!-margin-bottom-1", flag.why));
  const instead = element("p", "govuk-body-s govuk-!-margin-bottom-1");
  instead.append(element("strong", "", "Instead:"), ` ${flag.suggestion}`);
  item.append(instead);
  if (flag.replacement) {
    // The visible text starts the accessible name (WCAG 2.5.3); the hidden part says what goes.
    const button = element("button", "govuk-button govuk-button--secondary govuk-!-margin-bottom-0",
      `Use “${flag.replacement}”`);
    button.append(element("span", "govuk-visually-hidden", ` instead of “${flag.text}”`));
    button.type = "button";
    button.addEventListener("click", () => accept(flag));
    item.append(button);
  }
  return item;
}

function render(list, flags, accept) {
  list.replaceChildren();
  if (!flags.length) {
    list.append(element("p", "govuk-body", "No language to look at."));
    return;
  }
  const count = flags.length === 1 ? "1 phrase" : `${flags.length} phrases`;
  list.append(element("p", "govuk-body", `${count} to look at before saving.`));
  const items = element("ul", "govuk-list");
  flags.forEach((flag) => items.append(flagItem(flag, accept)));
  list.append(items);
}

function replaceFlag(textarea, flag) {
  const text = textarea.value;
  // The text may have changed since the check: use the flag's place if it still holds the
  // phrase, else the first place the phrase is found.
  let start = text.slice(flag.start, flag.end) === flag.text ? flag.start : text.indexOf(flag.text);
  if (start < 0) return false;
  const end = start + flag.text.length;
  textarea.value = text.slice(0, start) + flag.replacement + text.slice(end);
  const caret = start + flag.replacement.length;
  textarea.focus();
  textarea.setSelectionRange(caret, caret);
  return true;
}

function init(form) {
  const textarea = form.querySelector("textarea");
  const list = document.getElementById("language-flags-list");
  const csrf = form.querySelector("input[name=csrf_token]").value;
  if (!textarea || !list || !window.fetch) return;
  let timer = null;
  let sequence = 0;
  let lastDraft = 0;

  const post = (url, method, payload) => fetch(url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(payload),
  });

  async function check() {
    const mine = ++sequence;
    const text = textarea.value;
    try {
      const response = await post(form.dataset.checkUrl, "POST", { text });
      if (!response.ok || mine !== sequence) return;
      const data = await response.json();
      render(list, data.flags, accept);
    } catch (_error) {
      // Offline or signed out: the server still checks the note when it is saved.
    }
    saveDraft(text);
  }

  function saveDraft(text) {
    const now = Date.now();
    if (!form.dataset.draftUrl || now - lastDraft < DRAFT_INTERVAL_MS) return;
    lastDraft = now;
    post(form.dataset.draftUrl, "PUT", { body: text }).catch(() => {});
  }

  function accept(flag) {
    if (replaceFlag(textarea, flag)) {
      clearTimeout(timer);
      check();
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, CHECK_DELAY_MS);
  });
  if (textarea.value.trim()) check();
}

document.querySelectorAll("form[data-note-editor]").forEach(init);
