// The customer's side of the support desk: start, place in the queue and the wait, chat, typing,
// read receipts, rating, leaving a message. Embeddable: <iframe src="support.html?embed=1">.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const STORE = 'switchboard-support';
  // Kept for this tab's session, so a reload goes on with the same conversation (shown from its start).
  const saved = JSON.parse(sessionStorage.getItem(STORE) || 'null');
  let me = saved || null;          // {token, customer, name, email, first, department, conversation}
  // Where this page is in the transcript: a reconnect of the socket asks for what came after it.
  let position = null;             // {offset, epoch}
  let socket = null;
  let typingSentAt = 0;
  const typing = TypingLine($('typing'));
  const seen = new Set();          // offsets shown, so a resume never shows one twice

  if (params.get('embed') === '1') {
    $('site-header').hidden = true;
  }

  function save() {
    sessionStorage.setItem(STORE, JSON.stringify(me));
  }

  function show(section) {
    ['start', 'desk', 'leave', 'rate'].forEach((id) => { $(id).hidden = id !== section; });
  }

  function send(frame) {
    return socket && socket.send(JSON.stringify(frame));
  }

  function cid() {
    return 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  function minutes(seconds) {
    return Math.max(1, Math.round(seconds / 60));
  }

  function renderStatus(s) {
    const line = $('status');
    if (s.state === 'queued') {
      const wait = s.waitHigh === undefined ? 'no agent is free yet, so we cannot say how long'
        : (s.waitHigh < 60 ? 'less than a minute' : 'about ' + minutes(s.waitLow) + '–' + minutes(s.waitHigh) + ' minutes');
      line.textContent = 'You are number ' + s.position + ' in line. Estimated wait: ' + wait + ' (an estimate, not a promise).';
    } else if (s.state === 'offered') {
      line.textContent = 'Connecting you to ' + s.agent + '…';
    } else if (s.state === 'active') {
      line.textContent = s.agent + ' is with you.';
    } else if (s.state === 'message') {
      line.textContent = 'Your message is waiting for an agent.';
    }
    line.dataset.state = s.state;
  }

  function addLine(text, meta, kind) {
    const item = document.createElement('li');
    if (kind) item.className = kind;
    if (meta) {
      const m = document.createElement('span');
      m.className = 'meta';
      m.textContent = meta;
      item.append(m);
    }
    const t = document.createElement('span');
    t.className = 'text';
    t.textContent = text;
    item.append(t);
    $('messages').append(item);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  function entry(f) {
    if (seen.has(f.offset)) return;
    seen.add(f.offset);
    if (position && f.offset > position.offset) {
      position.offset = f.offset;
    }
    if (f.type === 'message') {
      typing.messageFrom(f.name);
      addLine(f.text, f.role === 'customer' ? 'You' : f.name, f.role === 'customer' ? 'mine' : '');
      if (f.role !== 'customer' && document.visibilityState === 'visible') {
        send({ type: 'read', conversation: me.conversation, offset: f.offset });
      }
    } else if (f.type === 'event') {
      if (f.event === 'closed') {
        addLine('The conversation was closed.', null, 'event');
        $('say-form').hidden = true;
        $('close').hidden = true;
        $('rate').hidden = false;
      } else if (f.event === 'transferred') {
        addLine('You are being passed to ' + (f.to || 'the next agent') + '.', null, 'event');
      } else if (f.event === 'rated') {
        $('rated').textContent = 'Thank you for your rating.';
      }
    }
  }

  function onFrame(f) {
    switch (f.type) {
      case 'status': renderStatus(f); break;
      case 'transcript':
        if (!position || f.epoch !== position.epoch || f.recovered !== true) {
          // Not where this page was (a first load, a new conversation, a history started anew): from the top.
          $('messages').replaceChildren();
          seen.clear();
          position = { offset: 0, epoch: f.epoch };
        }
        me.conversation = f.conversation;
        save();
        break;
      case 'message': case 'event': entry(f); break;
      case 'typing': typing.typing(f.from); break;
      case 'read': typing.show('Seen'); break;
      case 'ack':
        if (f.conversation && !me.conversation) {
          me.conversation = f.conversation;
          save();
        }
        break;
      case 'no_agents':
        $('leave-why').textContent = f.reason === 'hours' ? 'We are closed right now.' : 'No one is here right now.';
        // What the customer wrote to start with is carried over: nobody types it twice.
        if (!$('leave-email').value && me.email) $('leave-email').value = me.email;
        if (!$('leave-text').value && me.first) $('leave-text').value = me.first;
        show('leave');
        break;
      case 'error':
        $('status').textContent = f.message;
        break;
      default: break;
    }
  }

  /** The token's expiry (ms), read from its payload. */
  function expiresAt(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
    } catch (e) {
      return 0;
    }
  }

  /** At two thirds of the token's life: a fresh one for the same customer, handed to the open connection. */
  function scheduleRenewal() {
    const left = expiresAt(me.token) - Date.now();
    setTimeout(() => {
      fetch('api/support/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ renew: me.token })
      }).then((r) => r.json().then((body) => {
        if (!r.ok) throw new Error(body.message);
        me.token = body.token;
        save();
        send({ type: 'refresh', token: me.token, cid: cid() });
        scheduleRenewal();
      })).catch(() => setTimeout(scheduleRenewal, 30000));
    }, Math.max(5000, Math.min(left * 2 / 3, 2147483647)));
  }

  function connect() {
    $('who').textContent = me.name;
    scheduleRenewal();
    socket = Switchboard.connect('ws/support', {
      protocols: () => ['switchboard', 'token.' + me.token],
      query: () => (me.conversation && position
        ? { conversation: me.conversation, since: position.offset, epoch: position.epoch } : {})
    });
    socket.addEventListener('statechange', (e) => {
      $('state').textContent = e.detail.state;
      $('state').dataset.state = e.detail.state;
    });
    socket.addEventListener('message', (e) => {
      let frame;
      try { frame = JSON.parse(e.detail.data); } catch (err) { return; }
      if (frame.type === 'welcome' && !me.conversation && me.pendingStart) {
        send(me.pendingStart);
        delete me.pendingStart;
        save();
      }
      onFrame(frame);
    });
  }

  $('start-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('name').value.trim();
    if (!name) return;
    $('start-button').disabled = true;
    fetch('api/support/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: name, email: $('email').value.trim() || undefined })
    }).then((r) => r.json().then((body) => {
      if (!r.ok) throw new Error(body.message || 'Refused');
      me = { token: body.token, customer: body.customer, name: name, email: $('email').value.trim(),
        first: $('first').value.trim(), department: $('department').value.trim() };
      const start = { type: 'start', cid: cid() };
      if (me.department) start.department = me.department;
      if (me.first) start.text = me.first;
      me.pendingStart = start;
      save();
      show('desk');
      connect();
    })).catch((err) => {
      $('start-error').textContent = err.message;
      $('start-button').disabled = false;
    });
  });

  $('say-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value;
    if (!text || !me.conversation) return;
    if (send({ type: 'say', conversation: me.conversation, text: text, cid: cid() })) {
      $('text').value = '';
    }
  });

  $('text').addEventListener('input', () => {
    if (me && me.conversation && Date.now() - typingSentAt > 2000) {
      typingSentAt = Date.now();
      send({ type: 'typing', conversation: me.conversation });
    }
  });

  $('close').addEventListener('click', () => {
    if (me.conversation) send({ type: 'close', conversation: me.conversation, cid: cid() });
  });

  $('leave-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('leave-text').value.trim();
    if (!text) return;
    const frame = { type: 'leave_message', text: text, cid: cid() };
    if ($('leave-email').value.trim()) frame.email = $('leave-email').value.trim();
    if (me.department) frame.department = me.department;
    if (send(frame)) {
      $('leave-send').disabled = true;
      $('left').textContent = 'Thank you: your message is with us.';
    }
  });

  $('rate-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const frame = { type: 'rate', conversation: me.conversation, score: Number($('score').value), cid: cid() };
    if ($('comment').value.trim()) frame.comment = $('comment').value.trim();
    if (send(frame)) $('rate-send').disabled = true;
  });

  if (me && me.token) {
    show('desk');
    connect();
  } else {
    show('start');
  }
})();
