/*
 * switchboard.js: the Switchboard browser client. One file, no build step.
 *
 *   const socket = Switchboard.connect('ws/echo', { debug: true });
 *   socket.addEventListener('statechange', e => console.log(e.detail.state));
 *   socket.addEventListener('message', e => console.log(e.detail.data));
 *   socket.send('hello');
 *   socket.close();
 *
 * States: 'connecting' -> 'connected' -> 'disconnected' (a reconnect is scheduled) -> 'connecting' ...
 * and finally 'closed' after close() or a close code that must not be retried.
 * Reconnects use capped exponential backoff with full jitter. A heartbeat sends a ping when the
 * server has been quiet and reconnects when nothing at all comes back.
 */
(function (global) {
  'use strict';

  /** Close codes the server sends (docs/protocol.md). */
  const CloseCodes = Object.freeze({
    NORMAL: 1000,
    GOING_AWAY: 1001,
    UNSUPPORTED_DATA: 1003,
    ABNORMAL: 1006,
    POLICY_VIOLATION: 1008,
    TOO_BIG: 1009,
    INTERNAL_ERROR: 1011,
    HEARTBEAT_TIMEOUT: 4000,
    SEND_QUEUE_OVERFLOW: 4001
  });

  const States = Object.freeze({
    CONNECTING: 'connecting',
    CONNECTED: 'connected',
    DISCONNECTED: 'disconnected',
    CLOSED: 'closed'
  });

  const PONG = '{"type":"pong"}';

  const DEFAULTS = Object.freeze({
    /** First reconnect waits up to this many ms; each failure doubles it, up to maxDelay. */
    initialDelay: 500,
    maxDelay: 30000,
    factor: 2,
    /** Close codes after which reconnecting would only fail again. */
    fatalCloseCodes: [CloseCodes.POLICY_VIOLATION],
    /** Heartbeat: ping after `interval` ms of silence, give up after `timeout` more ms. false turns it off. */
    heartbeat: { interval: 20000, timeout: 10000, message: '{"type":"ping"}' },
    binaryType: 'arraybuffer',
    protocols: undefined,
    /** A connection attempt that has not opened after this many ms is abandoned and retried. */
    connectTimeout: 10000,
    /** The backoff starts over only once a connection has stayed up this long (no reconnect storms). */
    stableAfter: 5000,
    debug: false
  });

  /**
   * A WebSocket URL for a path relative to the page (or to `base`): ws: for http: pages and wss: for
   * https: pages, so the same page works behind TLS and under any context root.
   */
  function socketUrl(path, base) {
    const url = new URL(path, base || (global.document ? global.document.baseURI : global.location.href));
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  /** A client id unique across tabs: random, not time-based. */
  function newClientId() {
    const bytes = new Uint8Array(9);
    global.crypto.getRandomValues(bytes);
    return 'c' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Full jitter: a random wait between 0 and the capped exponential delay. */
  function backoffDelay(attempt, options) {
    const ceiling = Math.min(options.maxDelay, options.initialDelay * Math.pow(options.factor, attempt));
    return Math.floor(Math.random() * ceiling);
  }

  class SwitchboardSocket extends EventTarget {
    constructor(path, options) {
      super();
      this.url = /^wss?:/.test(path) ? path : socketUrl(path);
      this.options = Object.assign({}, DEFAULTS, options || {});
      if (this.options.heartbeat) {
        this.options.heartbeat = Object.assign({}, DEFAULTS.heartbeat, this.options.heartbeat);
      }
      this._closedForGood = false;
      this._connectTimer = null;
      this._stableTimer = null;
      this._pingSentAt = 0;
      this._state = null;
      this._ws = null;
      this._attempt = 0;
      this._reconnectTimer = null;
      this._heartbeatTimer = null;
      this._lastHeard = 0;
      this._pingOutstanding = false;
      this._onOnline = () => {
        if (this._state === States.DISCONNECTED) {
          this._log('browser is online again; reconnecting now');
          clearTimeout(this._reconnectTimer);
          this._open();
        }
      };
      if (global.addEventListener) {
        global.addEventListener('online', this._onOnline);
      }
      this._open();
    }

    /** 'connecting', 'connected', 'disconnected' or 'closed'. */
    get state() {
      return this._state;
    }

    /** Sends text or binary data; false (and nothing sent) when not connected. */
    send(data) {
      if (this._state !== States.CONNECTED) {
        return false;
      }
      this._ws.send(data);
      return true;
    }

    /** Closes for good: no reconnect follows, even when called from inside an event listener. */
    close(code, reason) {
      this._closedForGood = true;
      clearTimeout(this._reconnectTimer);
      clearTimeout(this._connectTimer);
      clearTimeout(this._stableTimer);
      this._stopHeartbeat();
      if (global.removeEventListener) {
        global.removeEventListener('online', this._onOnline);
      }
      const ws = this._ws;
      this._ws = null;
      this._setState(States.CLOSED);
      if (ws && ws.readyState <= 1) {
        ws.close(code || CloseCodes.NORMAL, reason || '');
      }
    }

    _open() {
      if (this._closedForGood) return;
      this._setState(States.CONNECTING);
      if (this._closedForGood) return; // a statechange listener closed us
      let ws;
      try {
        ws = new WebSocket(this.url, this.options.protocols);
      } catch (e) {
        this._log('cannot open', e);
        this._dropped(CloseCodes.ABNORMAL, String(e));
        return;
      }
      ws.binaryType = this.options.binaryType;
      this._ws = ws;
      this._connectTimer = setTimeout(() => {
        if (ws !== this._ws || ws.readyState !== 0) return;
        this._log('no answer to the connection attempt; trying again');
        this._dropped(CloseCodes.ABNORMAL, 'Connect timeout');
        ws.close();
      }, this.options.connectTimeout);
      ws.onopen = () => {
        if (ws !== this._ws) return;
        clearTimeout(this._connectTimer);
        this._stableTimer = setTimeout(() => { this._attempt = 0; }, this.options.stableAfter);
        this._heard();
        this._startHeartbeat();
        this._setState(States.CONNECTED);
        this.dispatchEvent(new CustomEvent('open'));
      };
      ws.onmessage = (event) => {
        if (ws !== this._ws) return;
        const wasPinging = this._pingOutstanding;
        this._heard();
        const hb = this.options.heartbeat;
        if (event.data === PONG || (wasPinging && hb && event.data === hb.message)) {
          return; // heartbeat traffic (an echo service returns the ping itself)
        }
        this.dispatchEvent(new CustomEvent('message', { detail: { data: event.data } }));
      };
      ws.onclose = (event) => {
        if (ws !== this._ws) return;
        this._dropped(event.code, event.reason);
      };
      ws.onerror = () => {
        this._log('socket error (a close follows)');
      };
    }

    _dropped(code, reason) {
      this._stopHeartbeat();
      clearTimeout(this._connectTimer);
      clearTimeout(this._stableTimer);
      this._ws = null;
      const fatal = this.options.fatalCloseCodes.indexOf(code) >= 0;
      const delay = fatal ? null : backoffDelay(this._attempt++, this.options);
      this._log('closed', code, reason, fatal ? 'for good' : 'reconnecting in ' + delay + ' ms');
      // Timer first, then state, then events: a listener that calls close() cancels it all.
      if (!fatal) this._reconnectTimer = setTimeout(() => this._open(), delay);
      this._setState(fatal ? States.CLOSED : States.DISCONNECTED);
      if (this._closedForGood) return;
      this.dispatchEvent(new CustomEvent('close', {
        detail: { code: code, reason: reason, willReconnect: !fatal && !this._closedForGood, delay: delay }
      }));
    }

    _heard() {
      this._lastHeard = Date.now();
      this._pingOutstanding = false;
    }

    _startHeartbeat() {
      const hb = this.options.heartbeat;
      if (!hb) return;
      const tick = Math.max(250, Math.min(hb.interval, hb.timeout) / 2) || 1000;
      this._heartbeatTimer = setInterval(() => {
        const now = Date.now();
        if (this._pingOutstanding && now - this._pingSentAt >= hb.timeout) {
          // Only a ping that went unanswered counts: a timer woken late (a hidden tab) is no proof.
          this._log('no answer to the heartbeat ping for', now - this._pingSentAt, 'ms; reconnecting');
          const ws = this._ws;
          this._dropped(CloseCodes.HEARTBEAT_TIMEOUT, 'No answer to heartbeat');
          if (ws) ws.close();
        } else if (!this._pingOutstanding && now - this._lastHeard >= hb.interval && this._ws && this._ws.readyState === 1) {
          this._pingOutstanding = true;
          this._pingSentAt = now;
          this._ws.send(hb.message);
        }
      }, tick);
    }

    _stopHeartbeat() {
      clearInterval(this._heartbeatTimer);
      this._heartbeatTimer = null;
      this._pingOutstanding = false;
    }

    _setState(state) {
      if (state === this._state) return;
      const previous = this._state;
      this._state = state;
      this._log('state', previous, '->', state);
      this.dispatchEvent(new CustomEvent('statechange', { detail: { state: state, previous: previous } }));
    }

    _log() {
      if (this.options.debug && global.console) {
        global.console.debug.apply(global.console, ['[switchboard]'].concat(Array.prototype.slice.call(arguments)));
      }
    }
  }

  /**
   * A chat connection over one socket: rooms, whispers, typing. It remembers the last offset seen in
   * each room and, on every reconnect, joins again with `since`, so a short drop loses no message and
   * shows none twice. Messages sent while disconnected wait and go out (with the same `cid`, which
   * the server deduplicates) once connected.
   *
   * Events: 'statechange', 'welcome', 'joined', 'reset' (history older than the gap: reload the room),
   * 'message', 'whisper', 'presence', 'typing', 'ack', 'error', 'close'.
   */
  class ChatConnection extends EventTarget {
    constructor(options) {
      super();
      const o = Object.assign({ path: 'ws/chat', rooms: [], maxBytes: 65536 }, options || {});
      this.maxBytes = o.maxBytes;
      this.user = null;
      this.offsets = new Map();
      this.epochs = new Map();
      this.rooms = new Set(o.rooms);
      this.outbox = new Map();
      const protocols = ['switchboard'].concat(o.token ? ['token.' + o.token] : []);
      this.socket = new SwitchboardSocket(o.path, Object.assign({}, o, { protocols: protocols, fatalCloseCodes: [CloseCodes.POLICY_VIOLATION] }));
      this.socket.addEventListener('statechange', (e) => this._emit('statechange', e.detail));
      this.socket.addEventListener('close', (e) => this._emit('close', e.detail));
      this.socket.addEventListener('open', () => {
        this.rooms.forEach((room) => this._sendJoin(room));
        this.outbox.forEach((frame) => this.socket.send(JSON.stringify(frame)));
      });
      this.socket.addEventListener('message', (e) => this._receive(e.detail.data));
    }

    get state() {
      return this.socket.state;
    }

    join(room) {
      this.rooms.add(room);
      if (this.state === States.CONNECTED) this._sendJoin(room);
    }

    leave(room) {
      this.rooms.delete(room);
      this.offsets.delete(room);
      this.epochs.delete(room);
      this.socket.send(JSON.stringify({ type: 'leave', room: room }));
    }

    /** Posts to a room; returns the message's client id. */
    say(room, text) {
      return this._sendTracked({ type: 'say', room: room, text: text });
    }

    whisper(to, text) {
      return this._sendTracked({ type: 'whisper', to: to, text: text });
    }

    typing(target) {
      this.socket.send(JSON.stringify(Object.assign({ type: 'typing' }, target)));
    }

    close() {
      this.socket.close();
    }

    _sendJoin(room) {
      const frame = { type: 'join', room: room };
      if (this.offsets.has(room)) {
        frame.since = this.offsets.get(room);
        if (this.epochs.has(room)) frame.epoch = this.epochs.get(room);
      }
      this.socket.send(JSON.stringify(frame));
    }

    _sendTracked(frame) {
      frame.cid = newClientId();
      const json = JSON.stringify(frame);
      if (new TextEncoder().encode(json).length > this.maxBytes) {
        // The server would close the connection (1009); say so here and keep the connection.
        this._emit('error', { type: 'error', code: 'too_big', cid: frame.cid, message: 'Message over ' + this.maxBytes + ' bytes' });
        return frame.cid;
      }
      this.outbox.set(frame.cid, frame);
      this.socket.send(json);
      return frame.cid;
    }

    _receive(data) {
      let frame;
      try {
        frame = JSON.parse(data);
      } catch (e) {
        return;
      }
      switch (frame.type) {
        case 'welcome':
          this.user = frame.user;
          break;
        case 'joined':
          if (frame.epoch) this.epochs.set(frame.room, frame.epoch);
          if (frame.recovered === false) {
            // The gap is older than the room's history: start the room afresh from what follows.
            this.offsets.set(frame.room, 0);
            this._emit('reset', frame);
          } else if (!this.offsets.has(frame.room)) {
            this.offsets.set(frame.room, 0);
          }
          break;
        case 'message': {
          if (!this.rooms.has(frame.room)) return; // sent before our leave reached the server
          const seen = this.offsets.get(frame.room) || 0;
          if (frame.offset <= seen) return; // already shown
          this.offsets.set(frame.room, frame.offset);
          break;
        }
        case 'presence':
        case 'typing':
          if (frame.room && !this.rooms.has(frame.room)) return;
          break;
        case 'ack':
        case 'error':
          // Accepted or refused, the server has answered: nothing to send again.
          if (frame.cid) this.outbox.delete(frame.cid);
          break;
        default:
          break;
      }
      this._emit(frame.type, frame);
    }

    _emit(type, detail) {
      this.dispatchEvent(new CustomEvent(type, { detail: detail }));
    }
  }

  /**
   * Asks the server for a chat token for a name (POST api/token). Resolves to {token, expiresAt};
   * rejects with an Error whose message says why (a bad name, or the server unreachable).
   */
  function requestToken(username, path) {
    return fetch(path || 'api/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: username })
    }).then((response) => response.json().then((body) => {
      if (!response.ok) throw new Error(body.message || 'Refused (' + response.status + ')');
      return body;
    }), () => {
      throw new Error('The server cannot be reached.');
    });
  }

  global.Switchboard = Object.freeze({
    connect: (path, options) => new SwitchboardSocket(path, options),
    requestToken: requestToken,
    chat: (options) => new ChatConnection(options),
    socketUrl: socketUrl,
    backoffDelay: backoffDelay,
    CloseCodes: CloseCodes,
    States: States,
    Socket: SwitchboardSocket,
    ChatConnection: ChatConnection
  });
})(typeof window !== 'undefined' ? window : globalThis);
