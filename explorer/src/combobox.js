// An accessible autocomplete (WAI-ARIA combobox with a listbox popup): arrow keys move,
// Enter picks, Escape closes. `source(text)` returns (a promise of) [{id, label, hint}].
import { el, debounce } from "./util.js";

let counter = 0;

export function combobox(input, list, { source, onSelect, minLength = 1, delay = 120 }) {
  let items = [];
  let active = -1;
  let request = 0;
  let pending = false; // a search is on its way (debounced or awaited)
  let enterWaiting = false; // Enter was pressed before it came back: pick its first match
  const prefix = `opt${++counter}`;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0 && list.children[index]) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  function pick(index) {
    const item = items[index];
    if (!item) return;
    input.value = item.label;
    input.dataset.value = item.id;
    close();
    onSelect(item);
  }

  function render() {
    list.replaceChildren(
      ...items.map((item, i) =>
        el(
          "li",
          {
            id: `${prefix}-${i}`,
            role: "option",
            "aria-selected": "false",
            dataset: { value: item.id },
            onmousedown: (ev) => {
              ev.preventDefault(); // keep the focus in the input
              pick(i);
            },
          },
          item.label,
          item.hint ? el("span", { class: "hint" }, ` ${item.hint}`) : null,
        ),
      ),
    );
    if (!items.length) list.append(el("li", { class: "empty", role: "presentation" }, "no match"));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(items.length ? 0 : -1);
  }

  const update = debounce(async () => {
    const text = input.value.trim();
    delete input.dataset.value;
    if (text.length < minLength) {
      items = [];
      pending = false;
      enterWaiting = false;
      close();
      return;
    }
    const mine = ++request;
    const found = await source(text);
    if (mine !== request) return; // a newer request won
    items = found;
    pending = false;
    render();
    if (enterWaiting) {
      enterWaiting = false;
      if (items.length) pick(0);
    }
  }, delay);

  input.addEventListener("input", () => {
    pending = true;
    update();
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (list.hidden) update();
      else highlight(Math.min(items.length - 1, active + 1));
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      highlight(Math.max(0, active - 1));
    } else if (ev.key === "Enter") {
      if (pending) {
        // Typed faster than the suggestions came: Enter picks the first of the coming ones.
        ev.preventDefault();
        enterWaiting = true;
      } else if (!list.hidden && active >= 0) {
        ev.preventDefault();
        pick(active);
      }
    } else if (ev.key === "Escape") {
      if (!list.hidden) {
        ev.stopPropagation();
        close();
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  return { close, setItems: (list_) => ((items = list_), render()) };
}
