/* The phone simulator (docs/telephony.md, "Phone simulator").
 *
 * Plays the provider's part in the browser: each phone on the page is a call leg that
 * asks the line's webhooks for TwiML (through the server, which signs every request as
 * the provider does) and carries out its verbs as the provider would. A caller waiting
 * in a queue and an operator who dials that queue are connected on this page. */
(() => {
  "use strict";

  const configElement = document.getElementById("sim-config");
  if (!configElement) return;
  const config = JSON.parse(configElement.textContent);
  const T = config.strings;
  const STOP = Symbol("stop");
  const QUEUE_POLL_MS = 3000;
  const RINGS_POLL_MS = 2000;
  const queues = new Map(); // queue name -> the caller's leg waiting in it
  const legs = []; // every phone on the page, hung up when the page closes
  const dialForm = document.getElementById("sim-dial");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");

  const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const hex = (bytes) =>
    Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

  /* One webhook request, signed and sent by the server; resolves to the TwiML. */
  async function send(path, params, ring) {
    const body = new URLSearchParams({ path, ...params });
    if (ring) body.set("ring", ring);
    const response = await fetch(config.send, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = { error: `HTTP ${response.status}` };
    }
    if (!response.ok || data.error) throw new Error(data.error || `HTTP ${response.status}`);
    return data.twiml || "";
  }

  /* A URL in the TwiML, resolved against the webhook that answered it, as a path. */
  function resolvePath(url, base) {
    const site = new URL(config.site + "/");
    const resolved = new URL(url, new URL(base, site));
    if (resolved.origin !== site.origin) throw new Error(url);
    return resolved.pathname + resolved.search;
  }

  class Leg {
    constructor({ title, container, params, ring, statusPath, onOver }) {
      this.params = params;
      this.ring = ring || "";
      this.statusPath = statusPath || "";
      this.onOver = onOver || (() => {});
      this.over = false;
      this.waiting = null; // {kind, resolve, ...}: what the leg waits for
      this.queue = null;
      this.dial = null;
      this.bridge = null;
      const fragment = document.getElementById("sim-phone").content.cloneNode(true);
      this.element = fragment.querySelector(".sim-phone");
      this.find = (selector) => this.element.querySelector(selector);
      this.find(".sim-title").textContent = title;
      this.element.setAttribute("aria-label", title);
      this.find(".sim-keypad").addEventListener("click", (event) => {
        const button = event.target.closest("[data-key]");
        if (button) this.press(button.dataset.key);
      });
      this.find(".sim-silent").addEventListener("click", () => this.silence());
      this.find(".sim-hangup").addEventListener("click", () => this.hangUp());
      this.find(".sim-finish").addEventListener("click", () => this.finishRecording());
      this.find(".sim-answers").addEventListener("click", () => this.answer("answered"));
      this.find(".sim-no-answer").addEventListener("click", () => this.answer("no-answer"));
      container.prepend(this.element);
      legs.push(this);
    }

    /* The TwiML as it came, but a dialled person's number only by its last digits. */
    showTwiml(twiml) {
      this.find(".sim-twiml").textContent = twiml.replace(
        /(<Number[^>]*>)([^<]*)(<\/Number>)/g,
        (_, open, number, close) => open + number.replace(/\d(?=\d{2})/g, "•") + close,
      );
    }

    state(text) {
      const state = this.find(".sim-state");
      if (state.textContent !== text) state.textContent = text;
    }

    line(text, className, language) {
      const item = document.createElement("li");
      if (className) item.className = className;
      if (language) {
        const tag = document.createElement("span");
        tag.className = "sim-language";
        tag.textContent = language.split("-")[0].toUpperCase();
        tag.setAttribute("aria-hidden", "true");
        const said = document.createElement("span");
        said.lang = language;
        said.textContent = text;
        item.append(tag, " ", said);
      } else {
        item.textContent = text;
      }
      this.find(".sim-log").append(item);
      return item;
    }

    post(path, extra = {}) {
      const status = this.over ? "completed" : "in-progress";
      return send(path, { ...this.params, CallStatus: status, ...extra }, this.ring);
    }

    fail(error) {
      this.line(format(T.error, { error: error.message }), "error");
      if (!this.over) this.finish("failed");
    }

    wait(kind, extra = {}) {
      return new Promise((resolve) => {
        this.waiting = { kind, resolve, ...extra };
      });
    }

    settle(value) {
      const waiting = this.waiting;
      this.waiting = null;
      if (waiting) waiting.resolve(value);
    }

    /* Asks `path` for TwiML and carries it out. */
    async run(path, extra = {}) {
      let twiml;
      try {
        twiml = await this.post(path, extra);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (!this.over) await this.execute(twiml, path);
    }

    async execute(twiml, path) {
      this.showTwiml(twiml);
      this.state(T.on_line);
      const document_ = new DOMParser().parseFromString(twiml, "text/xml");
      const root = document_.documentElement;
      if (!root || root.nodeName !== "Response") {
        this.fail(new Error("TwiML"));
        return;
      }
      for (const verb of Array.from(root.children)) {
        if (this.over) return;
        let next;
        try {
          next = await this.verb(verb, path);
        } catch (error) {
          this.fail(error);
          return;
        }
        if (next === STOP || this.over) return;
        if (next) {
          await this.run(next.path, next.params);
          return;
        }
      }
      // The provider hangs up when a document runs out of verbs.
      if (!this.over) this.finish("completed");
    }

    /* Carries out one verb: undefined goes on with the next one, {path, params} asks
       for a new document, STOP ends this one. */
    async verb(verb, path) {
      const url = (name) => {
        const value = verb.getAttribute(name);
        return value ? resolvePath(value, path) : "";
      };
      switch (verb.nodeName) {
        case "Say":
          this.line(verb.textContent.trim(), "said", verb.getAttribute("language") || "en");
          return undefined;
        case "Play":
          this.line(T.sound, "note");
          return undefined;
        case "Gather":
          return this.gather(verb, url("action") || path);
        case "Redirect":
          return { path: resolvePath(verb.textContent.trim(), path), params: {} };
        case "Record":
          return this.record(url("action") || path);
        case "Enqueue":
          return this.enqueue(verb.textContent.trim(), url("action"), url("waitUrl"));
        case "Dial":
          return this.dialOut(verb, url("action"));
        case "Hangup":
          this.finish("completed");
          return STOP;
        case "Reject":
          this.line(T.rejected, "note");
          this.finish("busy");
          return STOP;
        default:
          return undefined; // Pause, Leave outside a queue...
      }
    }

    async gather(verb, action) {
      for (const child of Array.from(verb.children)) {
        if (child.nodeName === "Say") {
          this.line(child.textContent.trim(), "said", child.getAttribute("language") || "en");
        } else if (child.nodeName === "Play") {
          this.line(T.sound, "note");
        }
      }
      const result = await this.wait("gather", {
        digits: "",
        numDigits: parseInt(verb.getAttribute("numDigits") || "0", 10) || Infinity,
        finishOnKey: verb.getAttribute("finishOnKey") ?? "#",
      });
      if (result === STOP) return STOP;
      if (!result.digits) {
        this.line(T.silent, "you");
        return undefined; // the provider goes on with the verb after the Gather
      }
      return { path: action, params: { Digits: result.digits } };
    }

    press(key) {
      if (this.over) return;
      const waiting = this.waiting;
      if (!waiting || waiting.kind !== "gather") {
        this.line(format(T.pressed, { key }) + " " + T.keys_ignored, "you");
        return;
      }
      this.line(format(T.pressed, { key }), "you");
      if (key === waiting.finishOnKey && waiting.finishOnKey) {
        this.settle({ digits: waiting.digits || key });
        return;
      }
      waiting.digits += key;
      if (waiting.digits.length >= waiting.numDigits) this.settle({ digits: waiting.digits });
    }

    silence() {
      if (this.over) return;
      if (!this.waiting || this.waiting.kind !== "gather") {
        this.line(T.silence_ignored, "note");
        return;
      }
      this.settle({ digits: this.waiting.digits });
    }

    async record(action) {
      const box = this.find(".sim-record");
      const text = box.querySelector("textarea");
      box.hidden = false;
      text.value = "";
      this.state(T.record);
      text.focus();
      const result = await this.wait("record", { action });
      box.hidden = true;
      if (result === STOP) return STOP;
      return { path: action, params: this.recording() };
    }

    /* A fake recording: the provider sends where to fetch it; nothing is behind it. */
    recording() {
      const text = this.find(".sim-record textarea").value.trim();
      if (text) this.line(format(T.said, { text }), "you");
      const sid = "RE" + hex(16);
      return {
        RecordingUrl: `https://simulator.invalid/recordings/${sid}`,
        RecordingSid: sid,
        RecordingDuration: String(Math.max(1, Math.round(text.split(/\s+/).length / 2))),
      };
    }

    finishRecording() {
      if (this.waiting && this.waiting.kind === "record") this.settle({ done: true });
    }

    async enqueue(name, action, waitUrl) {
      const queue = { name, action, waitUrl, since: Date.now(), bridged: false, prompts: "" };
      this.queue = queue;
      queues.set(name, this);
      this.state(T.queue_state);
      const waited = this.wait("queue");
      this.pollQueue(queue);
      const result = await waited;
      queues.delete(name);
      this.find(".sim-timer").textContent = "";
      this.find(".sim-queue").textContent = "";
      if (result === STOP) return STOP;
      this.queue = null;
      const params = { QueueResult: result.queueResult, QueueTime: String(this.queueTime(queue)) };
      if (result.queueResult === "hangup") {
        if (action) await this.post(action, params).catch(() => {});
        this.finish("completed");
        return STOP;
      }
      if (result.queueResult === "leave") this.line(T.left_queue, "note");
      return action ? { path: action, params } : undefined;
    }

    queueTime(queue) {
      return Math.round((Date.now() - queue.since) / 1000);
    }

    /* The provider plays the waitUrl's TwiML over and over while the caller waits. */
    async pollQueue(queue) {
      while (this.queue === queue && !queue.bridged && !this.over) {
        const seconds = this.queueTime(queue);
        this.find(".sim-timer").textContent = format(T.queue_waiting, { seconds });
        if (queue.waitUrl) {
          let twiml;
          try {
            // Each caller waits in a queue of their own ("call-<pk>"): first of one.
            const place = { QueuePosition: "1", CurrentQueueSize: "1" };
            twiml = await this.post(queue.waitUrl, { QueueTime: String(seconds), ...place });
          } catch (error) {
            this.fail(error);
            return;
          }
          if (this.queue !== queue || queue.bridged || this.over) return;
          this.showTwiml(twiml);
          const root = new DOMParser().parseFromString(twiml, "text/xml").documentElement;
          const prompts = [];
          for (const verb of Array.from(root ? root.children : [])) {
            if (verb.nodeName === "Say") prompts.push(verb.textContent.trim());
            if (verb.nodeName === "Redirect") queue.waitUrl = resolvePath(verb.textContent.trim(), queue.waitUrl);
            if (verb.nodeName === "Leave") return this.settle({ queueResult: "leave" });
            if (verb.nodeName === "Hangup") return this.settle({ queueResult: "hangup" });
          }
          const shown = prompts.join(" ");
          if (shown !== queue.prompts) {
            queue.prompts = shown;
            this.find(".sim-queue").textContent = shown;
          }
        }
        await sleep(QUEUE_POLL_MS);
      }
    }

    async dialOut(verb, action) {
      const target = verb.querySelector("Queue");
      this.dial = { action };
      if (target) {
        const caller = queues.get(target.textContent.trim());
        if (!caller || !caller.queue || caller.queue.bridged || caller.over) {
          this.line(T.queue_empty, "note");
          this.dial = null;
          return action ? { path: action, params: { DialCallStatus: "no-answer" } } : undefined;
        }
        this.connect(caller);
        const result = await this.wait("bridge");
        this.dial = null;
        if (result === STOP) return STOP;
        return action ? { path: action, params: { DialCallStatus: "completed" } } : undefined;
      }
      // A phone the simulator does not play: whoever drives the page says what happens.
      this.state(T.connecting_phone);
      this.find(".sim-other-phone").hidden = false;
      const answer = await this.wait("other-phone");
      this.find(".sim-other-phone").hidden = true;
      if (answer === STOP) return STOP;
      if (answer.status === "no-answer") {
        this.dial = null;
        return action ? { path: action, params: { DialCallStatus: "no-answer" } } : undefined;
      }
      this.state(T.connected_phone);
      const result = await this.wait("bridge");
      this.dial = null;
      if (result === STOP) return STOP;
      return action ? { path: action, params: { DialCallStatus: "completed" } } : undefined;
    }

    answer(status) {
      if (this.waiting && this.waiting.kind === "other-phone") this.settle({ status });
    }

    /* This operator's leg dialled the queue the caller waits in: the two talk. */
    connect(caller) {
      caller.queue.bridged = true;
      caller.bridge = this;
      this.bridge = caller;
      caller.find(".sim-timer").textContent = "";
      caller.find(".sim-queue").textContent = "";
      caller.state(T.connected_operator);
      caller.line(T.connected_operator, "note");
      this.state(T.connected_caller);
      this.line(T.connected_caller, "note");
    }

    /* The other side of a connected call hung up. */
    otherHungUp() {
      this.bridge = null;
      this.line(T.other_hung_up, "note");
      if (!this.waiting) return;
      if (this.waiting.kind === "queue") this.settle({ queueResult: "bridged" });
      else if (this.waiting.kind === "bridge") this.settle({});
    }

    async hangUp() {
      if (this.over) return;
      const waiting = this.waiting;
      const queue = this.queue;
      const dial = this.dial;
      this.over = true;
      this.line(T.hung_up, "you");
      if (this.bridge) {
        const other = this.bridge;
        this.bridge = null;
        other.otherHungUp();
      }
      this.settle(STOP);
      // The provider still tells the webhooks how the call ended; their TwiML is unused.
      const ignored = () => {};
      if (queue) {
        queues.delete(queue.name);
        if (queue.action) {
          await this.post(queue.action, {
            QueueResult: queue.bridged ? "bridged" : "hangup",
            QueueTime: String(this.queueTime(queue)),
          }).catch(ignored);
        }
      }
      if (waiting && waiting.kind === "record" && waiting.action) {
        await this.post(waiting.action, this.recording()).catch(ignored);
      }
      if (dial && dial.action) {
        await this.post(dial.action, { DialCallStatus: "completed" }).catch(ignored);
      }
      await this.finish("completed", true);
    }

    /* The page is closing: the provider would see this phone hang up. */
    hangUpOnLeaving() {
      if (this.over) return;
      this.over = true;
      const beacon = (path, extra) => {
        const body = new FormData();
        const params = { path, ...this.params, CallStatus: "completed", ...extra };
        for (const [name, value] of Object.entries(params)) body.append(name, value);
        if (this.ring) body.append("ring", this.ring);
        body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
        navigator.sendBeacon(config.send, body);
      };
      if (this.queue && this.queue.action) {
        const queueResult = this.queue.bridged ? "bridged" : "hangup";
        beacon(this.queue.action, { QueueResult: queueResult, QueueTime: String(this.queueTime(this.queue)) });
      }
      if (this.statusPath) beacon(this.statusPath, {});
    }

    /* The call is over: the status callback hears its final status. */
    async finish(status, alreadyOver) {
      if (this.over && !alreadyOver) return;
      this.over = true;
      this.settle(STOP);
      if (this.queue) queues.delete(this.queue.name);
      if (this.statusPath) {
        await this.post(this.statusPath, { CallStatus: status }).catch(() => {});
      }
      // Said once the line knows, so that what the page shows is what the line holds.
      this.state(T.over);
      this.line(T.over, "note");
      const hadFocus = this.element.contains(document.activeElement);
      for (const part of this.element.querySelectorAll(".sim-keypad, .sim-record, .sim-other-phone, .action-row")) {
        part.hidden = true;
      }
      this.onOver(hadFocus);
    }
  }

  window.addEventListener("pagehide", () => legs.forEach((leg) => leg.hangUpOnLeaving()));

  /* The caller's phone. */
  let callerLeg = null;
  if (dialForm) {
    const error = document.getElementById("sim-dial-error");
    dialForm.addEventListener("submit", (event) => {
      event.preventDefault();
      error.textContent = "";
      if (callerLeg && !callerLeg.over) {
        error.textContent = T.hang_up_first;
        return;
      }
      const withheld = document.getElementById("sim-withheld").checked;
      const from = withheld ? "anonymous" : document.getElementById("sim-caller").value.replace(/[\s.\/-]/g, "");
      const to = document.getElementById("sim-line").value;
      const container = document.getElementById("sim-caller-phone");
      container.replaceChildren();
      callerLeg = new Leg({
        title: format(T.call_title, { caller: withheld ? T.withheld : from, line: to }),
        container,
        params: { CallSid: "SIM" + hex(16), From: from, To: to },
        statusPath: config.status,
        onOver: (hadFocus) => {
          if (hadFocus) document.getElementById("sim-call").focus();
        },
      });
      callerLeg.state(T.calling);
      callerLeg.run(config.incoming, { CallStatus: "ringing" });
    });
  }

  /* The operators' phones: rings of simulated calls, polled. */
  const ringList = document.getElementById("sim-rings");
  const noRings = document.getElementById("sim-no-rings");
  const operatorPhones = document.getElementById("sim-operator-phones");
  const handled = new Set();

  function ringItem(ring) {
    const item = document.createElement("li");
    item.dataset.ring = ring.id;
    const text = document.createElement("span");
    text.textContent = format(T.rings, { operator: ring.operator, language: ring.language || "?" });
    const pickUp = document.createElement("button");
    pickUp.type = "button";
    pickUp.className = "primary";
    pickUp.textContent = format(T.pick_up, { operator: ring.operator });
    const letRing = document.createElement("button");
    letRing.type = "button";
    letRing.textContent = T.let_ring;
    letRing.setAttribute("aria-label", `${T.let_ring}: ${format(T.operator_phone, { operator: ring.operator })}`);
    const buttons = document.createElement("span");
    buttons.className = "action-row";
    buttons.append(pickUp, letRing);
    item.append(text, buttons);
    pickUp.addEventListener("click", () => {
      handled.add(ring.id);
      item.remove();
      showRings();
      const leg = new Leg({
        title: format(T.operator_phone, { operator: ring.operator }),
        container: operatorPhones,
        params: {},
        ring: String(ring.id),
        statusPath: ring.status,
        onOver: (hadFocus) => {
          if (hadFocus) document.getElementById("sim-operators-heading").focus();
        },
      });
      leg.find(".sim-title").focus();
      leg.run(ring.answer, { CallStatus: "in-progress" });
    });
    letRing.addEventListener("click", async () => {
      handled.add(ring.id);
      item.remove();
      showRings();
      document.getElementById("sim-operators-heading").focus();
      if (ring.status) await send(ring.status, { CallStatus: "no-answer" }, String(ring.id)).catch(() => {});
    });
    return item;
  }

  function showRings() {
    noRings.hidden = ringList.children.length > 0;
  }

  async function pollRings() {
    for (;;) {
      try {
        const response = await fetch(config.rings, { credentials: "same-origin" });
        if (response.ok) {
          const { rings } = await response.json();
          const current = new Set(rings.map((ring) => String(ring.id)));
          for (const item of Array.from(ringList.children)) {
            if (!current.has(item.dataset.ring) && !item.contains(document.activeElement)) item.remove();
          }
          const shown = new Set(Array.from(ringList.children, (item) => item.dataset.ring));
          for (const ring of rings) {
            if (!handled.has(ring.id) && !shown.has(String(ring.id))) ringList.append(ringItem(ring));
          }
          showRings();
        }
      } catch {
        // The next poll tries again.
      }
      await sleep(RINGS_POLL_MS);
    }
  }

  pollRings();
})();
