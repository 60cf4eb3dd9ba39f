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
    SEND_QUEUE_OVERFLOW: 4001,
    TOKEN_EXPIRED: 4002,
    DISCONNECTED: 4003,
    CONNECT_DENIED: 4004,
    BACK_END_UNAVAILABLE: 4005
  });

  const States = Object.freeze({
    CONNECTING: 'connecting',
    CONNECTED: 'connected',
    DISCONNECTED: 'disconnected',
    CLOSED: 'closed'
  });

  const PONG = '{"type":"pong"}';
  /** Refreshes of a token are never scheduled sooner than this (ms). */
  const MIN_REFRESH_DELAY = 5000;
  /** The longest a timer can wait (ms); setTimeout fires at once past it. */
  const MAX_TIMER_DELAY = 2147483647;

  const DEFAULTS = Object.freeze({
    /** First reconnect waits up to this many ms; each failure doubles it, up to maxDelay. */
    initialDelay: 500,
    maxDelay: 30000,
    factor: 2,
    /** Close codes after which reconnecting would only fail again. */
    fatalCloseCodes: [CloseCodes.POLICY_VIOLATION, CloseCodes.DISCONNECTED, CloseCodes.CONNECT_DENIED],
    /** Heartbeat: ping after `interval` ms of silence, give up after `timeout` more ms. false turns it off. */
    heartbeat: { interval: 20000, timeout: 10000, message: '{"type":"ping"}' },
    binaryType: 'arraybuffer',
    /** Subprotocols, or a function giving them afresh for every attempt. */
    protocols: undefined,
    /** Called before every attempt; the attempt waits for the promise it returns and fails if it rejects. */
    prepare: undefined,
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
      if (!this.options.prepare) {
        this._connect();
        return;
      }
      let timer;
      const timeout = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error('Not ready to connect in time')), this.options.connectTimeout);
      });
      Promise.race([Promise.resolve().then(this.options.prepare), timeout]).then(() => {
        clearTimeout(timer);
        if (!this._closedForGood && this._state === States.CONNECTING) this._connect();
      }, (e) => {
        clearTimeout(timer);
        if (this._closedForGood || this._state !== States.CONNECTING) return;
        this._log('not ready to connect', e);
        if (e && e.fatal) {
          // Trying again would only fail again (say, the name is someone else's now): stop and say why.
          this.close();
          this.dispatchEvent(new CustomEvent('close', {
            detail: { code: CloseCodes.ABNORMAL, reason: String(e.message || e), willReconnect: false, delay: null }
          }));
          return;
        }
        this._dropped(CloseCodes.ABNORMAL, String((e && e.message) || e));
      });
    }

    /** The URL with what `query` (a function returning parameters) says at this attempt, if given. */
    _urlNow() {
      if (typeof this.options.query !== 'function') return this.url;
      const url = new URL(this.url);
      const params = this.options.query() || {};
      Object.keys(params).forEach((name) => {
        if (params[name] !== undefined && params[name] !== null) url.searchParams.set(name, String(params[name]));
      });
      return url.href;
    }

    _connect() {
      const protocols = typeof this.options.protocols === 'function' ? this.options.protocols() : this.options.protocols;
      let ws;
      try {
        ws = new WebSocket(this._urlNow(), protocols);
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

  /** When a JWT expires (ms since the epoch), from its `exp`; 0 when it cannot be read. */
  function jwtExpiry(token) {
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(global.atob(payload)).exp * 1000 || 0;
    } catch (e) {
      return 0;
    }
  }

  /**
   * A chat connection over one socket: rooms, whispers, typing. It remembers the last offset seen in
   * each room and, on every reconnect, joins again with `since`, so a short drop loses no message and
   * shows none twice. Messages sent while disconnected wait and go out (with the same `cid`, which
   * the server deduplicates) once connected.
   *
   * Tokens expire. Give `getToken` (a function returning a promise of `{token, expiresAt}` or of a
   * token) and the connection asks it for a fresh token before the current one expires and hands it
   * to the server (`refresh`), so the connection stays open; a reconnect after the token has expired
   * (or a close with 4002) fetches one first. Without `getToken`, 4002 closes for good.
   *
   * Whispers work the same way: every whisper to or from the user has an offset in the user's whisper
   * log, and a reconnect asks for those after the last one seen (`whispersSince`), so a tab that was
   * away gets what another tab of the same user got meanwhile; a new page gets what no tab has had.
   *
   * Read receipts: `markRead(room)` (or `markRead({ with: user })` for a whisper conversation) tells how
   * far the user has read, at most once a second each, only when it moved; members get 'reads', the
   * other party 'receipts' (which of their whispers were delivered and read).
   *
   * Events: 'statechange', 'welcome', 'joined', 'reset' (history older than the gap: reload the room),
   * 'whispers' (where the whisper log is; `recovered: false` after a gap too old), 'message', 'whisper',
   * 'edited', 'deleted', 'reactions' (with `room`, or with `with` for a whisper: then `target` is the
   * whisper's offset in this user's whisper log), 'presence', 'typing', 'reads', 'receipts', 'ack', 'refreshed', 'error', 'close'.
   */
  class ChatConnection extends EventTarget {
    constructor(options) {
      super();
      const o = Object.assign({ path: 'ws/chat', rooms: [], maxBytes: 65536 }, options || {});
      this.maxBytes = o.maxBytes;
      this.user = null;
      this.offsets = new Map();
      this.epochs = new Map();
      this.whisperOffset = null;
      this.whisperEpoch = null;
      this.rooms = new Set(o.rooms);
      this.watched = [];
      this._reads = new Map();
      this.outbox = new Map();
      this._getToken = typeof o.getToken === 'function' ? o.getToken : null;
      this._refreshTimer = null;
      this._useToken(o.token, o.expiresAt);
      const fatal = [CloseCodes.POLICY_VIOLATION, CloseCodes.DISCONNECTED, CloseCodes.CONNECT_DENIED].concat(this._getToken ? [] : [CloseCodes.TOKEN_EXPIRED]);
      this.socket = new SwitchboardSocket(o.path, Object.assign({}, o, {
        protocols: () => ['switchboard'].concat(this.token ? ['token.' + this.token] : []),
        prepare: () => this._tokenForConnecting(),
        query: () => (this.whisperOffset === null ? {} : { whispersSince: this.whisperOffset, whispersEpoch: this.whisperEpoch }),
        fatalCloseCodes: fatal
      }));
      this.socket.addEventListener('statechange', (e) => this._emit('statechange', e.detail));
      this.socket.addEventListener('close', (e) => {
        clearTimeout(this._refreshTimer);
        if (e.detail.code === CloseCodes.TOKEN_EXPIRED) this.tokenExpiresAt = 0; // fetch a fresh one first
        this._emit('close', e.detail);
      });
      this.socket.addEventListener('open', () => {
        this.rooms.forEach((room) => this._sendJoin(room));
        if (this.watched.length) this.socket.send(JSON.stringify({ type: 'watch', users: this.watched }));
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

    /** Posts to a room, in reply to the message at `replyTo` (an offset) when given; returns the message's client id. */
    say(room, text, replyTo) {
      const frame = { type: 'say', room: room, text: text };
      if (replyTo) frame.replyTo = replyTo;
      return this._sendTracked(frame);
    }

    /** Whispers to a user, in reply to the whisper at `replyTo` (its offset in this user's whisper log) when given. */
    whisper(to, text, replyTo) {
      const frame = { type: 'whisper', to: to, text: text };
      if (replyTo) frame.replyTo = replyTo;
      return this._sendTracked(frame);
    }

    /**
     * Changes the text of one's own whisper with user `withUser` at `offset` (its offset in this user's
     * whisper log, as its 'whisper' event showed), within the edit window; returns its client id.
     */
    editWhisper(withUser, offset, text) {
      return this._sendTracked(this._inWhispers({ type: 'edit', with: withUser, offset: offset, text: text }));
    }

    /** Deletes one's own whisper with `withUser` at `offset` (in this user's whisper log), within the edit window. */
    deleteWhisper(withUser, offset) {
      return this._sendTracked(this._inWhispers({ type: 'delete', with: withUser, offset: offset }));
    }

    /** Adds (or with `remove`, takes back) the user's reaction `emoji` to the whisper with `withUser` at `offset`. */
    reactWhisper(withUser, offset, emoji, remove) {
      return this._sendTracked(this._inWhispers({ type: remove ? 'unreact' : 'react', with: withUser, offset: offset, emoji: emoji }));
    }

    _inWhispers(frame) {
      if (this.whisperEpoch) frame.epoch = this.whisperEpoch;
      return frame;
    }

    /**
     * A moderator's action in a room (the token must grant `moderate` there): 'mute' or 'ban' a user for
     * `seconds` (none: no end), 'unmute', 'unban', 'slow_mode' (`seconds`, 0 off), or 'delete' the message
     * at `offset`. Returns the client id its `ack` or `error` will carry.
     */
    moderate(type, room, fields) {
      const frame = Object.assign({ type: type, room: room }, fields || {});
      if (type === 'delete' && this.epochs.has(room)) frame.epoch = this.epochs.get(room);
      return this._sendTracked(frame);
    }

    /** Changes the text of one's own message at `offset` (within the room's edit window); returns its client id. */
    edit(room, offset, text) {
      const frame = { type: 'edit', room: room, offset: offset, text: text };
      if (this.epochs.has(room)) frame.epoch = this.epochs.get(room);
      return this._sendTracked(frame);
    }

    /** Adds (or with `remove`, takes back) the user's reaction `emoji` to the message at `offset`; returns its client id. */
    react(room, offset, emoji, remove) {
      const frame = { type: remove ? 'unreact' : 'react', room: room, offset: offset, emoji: emoji };
      if (this.epochs.has(room)) frame.epoch = this.epochs.get(room);
      return this._sendTracked(frame);
    }

    /** Deletes the message at `offset`: one's own (within the edit window), or any as a moderator. */
    deleteMessage(room, offset) {
      return this.moderate('delete', room, { offset: offset });
    }

    /**
     * Asks for a page of the room's older messages, those before `before` (an offset), newest first, at
     * most `limit` (1-100, default 50): a 'history' event brings them, with `more` when older ones are kept
     * still. They do not move the room's offset (it resumes from the newest). Returns the page's client id.
     */
    history(room, before, limit) {
      const frame = { type: 'history', room: room, before: before, cid: newClientId() };
      if (limit) frame.limit = limit;
      this.socket.send(JSON.stringify(frame));
      return frame.cid;
    }

    /**
     * Watches these users (replacing the list; [] for none): a 'watching' event gives their status now,
     * then 'online' and 'offline' events as they change, on any node. Sent again after a reconnect.
     */
    watch(users) {
      this.watched = Array.from(new Set(users));
      if (this.state === States.CONNECTED) this.socket.send(JSON.stringify({ type: 'watch', users: this.watched }));
    }

    /**
     * Tells how far the user has read a room (`offset`, default the last one shown there) or, given
     * `{ with: user }`, a whisper conversation (`offset` in the user's whisper log, default the last whisper
     * shown). Sent at most once a second per room or conversation, and only when it moved forward.
     */
    markRead(target, offset) {
      const room = typeof target === 'string' ? target : null;
      const key = room !== null ? '#' + room : '@' + target.with;
      const at = offset !== undefined ? offset : (room !== null ? this.offsets.get(room) : this.whisperOffset);
      if (!at) return;
      const r = this._reads.get(key) || { want: 0, sent: 0, timer: null };
      this._reads.set(key, r);
      r.want = Math.max(r.want, at);
      const flush = () => {
        r.timer = null;
        if (r.want <= r.sent) return;
        if (this.state === States.CONNECTED) {
          r.sent = r.want;
          this.socket.send(JSON.stringify(Object.assign({ type: 'read', offset: r.want }, room !== null ? { room: room } : { with: target.with })));
        }
        r.timer = setTimeout(flush, 1000); // one a second at most; what moved meanwhile goes then
      };
      if (!r.timer) flush();
    }

    typing(target) {
      this.socket.send(JSON.stringify(Object.assign({ type: 'typing' }, target)));
    }

    close() {
      clearTimeout(this._refreshTimer);
      this.socket.close();
    }

    _useToken(token, expiresAt) {
      this.token = token || null;
      this.tokenExpiresAt = expiresAt ? Date.parse(expiresAt) : (token ? jwtExpiry(token) : 0);
    }

    _fetchToken() {
      return Promise.resolve().then(() => this._getToken()).catch((e) => {
        // A refusal (a 4xx other than 429) will not change by asking again; anything else might.
        if (e && e.status >= 400 && e.status < 500 && e.status !== 429) e.fatal = true;
        throw e;
      }).then((issued) => {
        if (typeof issued === 'string') this._useToken(issued);
        else this._useToken(issued.token, issued.expiresAt);
        this.socket._log('fresh token, expires', new Date(this.tokenExpiresAt).toISOString());
      });
    }

    /** Before an attempt: a token that has expired (or nearly) would only be refused, so get one first. */
    _tokenForConnecting() {
      if (this._getToken && (!this.token || this.tokenExpiresAt - Date.now() < 1000)) {
        return this._fetchToken();
      }
      return undefined;
    }

    /**
     * Refreshes with a third of the token's life left, at most a minute before it expires; never
     * sooner than 5 s from now (a clock far off, or a token source that hands out the same token,
     * must not make a loop) nor later than a timer can wait.
     */
    _scheduleRefresh() {
      clearTimeout(this._refreshTimer);
      if (!this._getToken || !this.tokenExpiresAt || this.socket.state !== States.CONNECTED) return;
      const left = this.tokenExpiresAt - Date.now();
      const delay = Math.min(MAX_TIMER_DELAY, Math.max(MIN_REFRESH_DELAY, left - Math.min(60000, left / 3)));
      this._refreshTimer = setTimeout(() => this._refreshNow(), delay);
    }

    _refreshNow() {
      const before = this.tokenExpiresAt;
      this._fetchToken().then(() => {
        if (this.socket.state !== States.CONNECTED) return; // the reconnect will use it
        if (this.tokenExpiresAt <= before) {
          this.socket._log('the token source gave no later token; the server will close at expiry (4002)');
          return;
        }
        this.socket.send(JSON.stringify({ type: 'refresh', token: this.token, cid: newClientId() }));
      }, (e) => {
        this.socket._log('could not get a fresh token', e);
        // Try again while connected; past the expiry the server closes with 4002 and the reconnect fetches.
        if (this.socket.state === States.CONNECTED && !e.fatal) {
          clearTimeout(this._refreshTimer);
          this._refreshTimer = setTimeout(() => this._refreshNow(), MIN_REFRESH_DELAY);
        }
      });
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
          this._scheduleRefresh();
          break;
        case 'refreshed':
          this._scheduleRefresh();
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
        case 'whispers':
          this.whisperEpoch = frame.epoch;
          if (this.whisperOffset === null || frame.recovered === false) this.whisperOffset = 0;
          break;
        case 'whisper':
          if (frame.offset <= this.whisperOffset) return; // already shown
          this.whisperOffset = frame.offset;
          break;
        case 'left':
          // Taken out of the room (banned, or a refreshed token no longer lets the user in): not rejoined on reconnect.
          this.rooms.delete(frame.room);
          this.offsets.delete(frame.room);
          this.epochs.delete(frame.room);
          break;
        case 'message':
        case 'edited':
        case 'reactions':
        case 'deleted': {
          if (frame.with !== undefined) {
            // A change to a whisper is an entry of the user's whisper log: its offset counts for whispersSince.
            if (frame.offset <= this.whisperOffset) return; // already shown
            this.whisperOffset = frame.offset;
            break;
          }
          // An edit or a deletion is an entry of the room's log too: its offset counts for resuming.
          if (!this.rooms.has(frame.room)) return; // sent before our leave reached the server
          const seen = this.offsets.get(frame.room) || 0;
          if (frame.offset <= seen) return; // already shown
          this.offsets.set(frame.room, frame.offset);
          break;
        }
        case 'presence':
        case 'typing':
        case 'reads':
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
   * rejects with an Error whose message says why (a bad name, a name another browser holds (409), or
   * the server unreachable). The server knows this browser by a cookie, so asking again for the same
   * name later (to refresh) works from any tab of this browser.
   */
  function requestToken(username, path) {
    return fetch(path || 'api/token', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: username })
    }).then((response) => response.json().then((body) => {
      if (!response.ok) {
        const error = new Error(body.message || 'Refused (' + response.status + ')');
        error.status = response.status;
        throw error;
      }
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
