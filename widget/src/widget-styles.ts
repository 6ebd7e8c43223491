// Scoped to the widget's shadow root: nothing leaks into the host page, nothing leaks in.
export const WIDGET_STYLES = `
:host { all: initial; }
.root { --accent: #0b57d0; --accent-text: #ffffff; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --bubble: #f1f3f5;
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: flex; flex-direction: column; align-items: flex-end; gap: 12px;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[hidden] { display: none !important; }
button, input, textarea { font: inherit; color: inherit; }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.launcher { position: relative; width: 56px; height: 56px; border-radius: 50%; border: 0; background: var(--accent); color: var(--accent-text); cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); display: grid; place-items: center; }
.badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px; background: #d93025; color: #fff; font-size: 12px; line-height: 20px; box-sizing: border-box; }
.panel { width: min(380px, calc(100vw - 40px)); height: min(600px, calc(100vh - 110px)); background: var(--bg); border-radius: 14px; box-shadow: 0 8px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }
header { display: flex; align-items: center; justify-content: space-between; padding: 12px 16px; background: var(--accent); color: var(--accent-text); }
h2 { margin: 0; font-size: 16px; font-weight: 600; }
.close { background: transparent; border: 0; color: inherit; font-size: 24px; line-height: 1; cursor: pointer; padding: 0 4px; }
.log { list-style: none; margin: 0; padding: 12px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; }
.message { max-width: 85%; display: flex; flex-direction: column; gap: 4px; }
.message.theirs { align-self: flex-start; }
.message.mine { align-self: flex-end; align-items: flex-end; }
.message .text { padding: 8px 12px; border-radius: 14px; background: var(--bubble); overflow-wrap: anywhere; }
.message.mine .text { background: var(--accent); color: var(--accent-text); }
.message.mine .text a { color: inherit; }
.text.plain { white-space: pre-wrap; }
.text.rich p { margin: 0 0 6px; } .text.rich p:last-child { margin-bottom: 0; }
.text.rich img { max-width: 100%; }
.text.rich pre { overflow-x: auto; }
.author { font-size: 12px; color: var(--muted); }
.meta { font-size: 11px; color: var(--muted); }
.pending .text { opacity: .7; }
.error { color: #b3261e; }
.content { display: flex; flex-direction: column; gap: 6px; }
.buttons, .quick-replies, .slots { display: flex; flex-wrap: wrap; gap: 6px; }
.button, .chip, .slot, .list-item, .retry { border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 18px; padding: 6px 12px; cursor: pointer; text-decoration: none; font-size: 13px; }
.button:hover, .chip:hover, .slot:hover, .list-item:hover { background: #e8f0fe; }
.cards { list-style: none; margin: 0; padding: 0 0 4px; display: flex; gap: 8px; overflow-x: auto; max-width: 100%; }
.card { flex: 0 0 200px; border: 1px solid #d0d7de; border-radius: 10px; overflow: hidden; display: flex; flex-direction: column; background: #fff; }
.card img { width: 100%; height: 110px; object-fit: cover; }
.card-body { padding: 8px 10px 0; } .card-title { margin: 0; font-weight: 600; } .card-subtitle { margin: 2px 0 0; color: var(--muted); }
.card .buttons { padding: 8px 10px 10px; }
.list-picker, .time-picker { border: 1px solid #d0d7de; border-radius: 10px; padding: 8px 10px; background: #fff; }
.picker-title { margin: 0 0 6px; font-weight: 600; } .timezone { font-weight: 400; color: var(--muted); }
.list-picker-items { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.list-item { width: 100%; text-align: left; border-radius: 8px; }
.item-label { display: flex; flex-direction: column; } .item-title { font-weight: 600; } .item-subtitle { color: var(--muted); font-size: 12px; }
.slot-duration { color: var(--muted); }
.rich-link { display: flex; gap: 8px; align-items: center; border: 1px solid #d0d7de; border-radius: 10px; padding: 8px; color: inherit; text-decoration: none; background: #fff; }
.rich-link img { width: 56px; height: 56px; object-fit: cover; border-radius: 6px; }
.rich-link-text { display: flex; flex-direction: column; } .rich-link-title { font-weight: 600; } .rich-link-host { color: var(--muted); font-size: 12px; }
.attachments { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.attachments img { max-width: 220px; max-height: 180px; border-radius: 8px; display: block; }
.attachment { color: inherit; }
.adaptive-card { border: 1px solid #d0d7de; border-radius: 10px; overflow: hidden; background: #fff; max-width: 300px; }
.adaptive-card .ac-pushButton { border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 18px; padding: 6px 12px; cursor: pointer; }
.adaptive-card input, .adaptive-card textarea, .adaptive-card select { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 6px; }
.typing { min-height: 18px; padding: 0 14px; font-size: 12px; color: var(--muted); font-style: italic; }
.notice { padding: 0 14px 6px; font-size: 12px; color: #b3261e; } .notice:empty { display: none; }
.composer { display: flex; align-items: flex-end; gap: 6px; padding: 10px; border-top: 1px solid #d0d7de; }
.composer textarea { flex: 1; resize: none; border: 1px solid #d0d7de; border-radius: 18px; padding: 8px 12px; max-height: 120px; background: #fff; }
.attach { cursor: pointer; padding: 6px; color: var(--muted); display: grid; place-items: center; }
.file-name { display: inline-flex; align-items: center; gap: 4px; }
.send { border: 0; border-radius: 18px; padding: 8px 14px; background: var(--accent); color: var(--accent-text); cursor: pointer; }
.send:disabled { opacity: .5; cursor: default; }
@media (prefers-reduced-motion: no-preference) { .panel { animation: rise .15s ease-out; } @keyframes rise { from { transform: translateY(8px); opacity: 0; } } }
`;
