// The agent console (and a supervisor's board): log in, set a status, the queue, conversations side
// by side with unread counts, transcripts, canned replies, transfer, close. Text goes in with
// textContent only.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const STORE = 'switchboard-agent';
  let me = JSON.parse(sessionStorage.getItem(STORE) || 'null'); // {token, name, role}
  let socket = null;
  let canned = [];
  let desk = null;
  /** Conversations on screen, by id: {element, seen: Set of offsets, unread}. */
  const open = new Map();

  function send(frame) {
    return socket && socket.send(JSON.stringify(frame));
  }

  function cid() {
    return 'a' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  function since(millis) {
    const seconds = Math.max(0, Math.round((Date.now() - millis) / 1000));
    return seconds < 60 ? seconds + ' s' : Math.round(seconds / 60) + ' min';
  }

  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  // ---- the desk: queue, messages left, agents, board ----

  function renderDesk(d) {
    desk = d;
    $('status').dataset.status = d.status;
    $('status').textContent = d.status === 'available' ? 'Go away' : 'Go available';
    $('load').textContent = d.load + ' of ' + d.capacity + ' conversations';
    $('queue-count').textContent = '(' + d.queue.length + ')';
    renderWaiting($('queue'), d.queue);
    renderWaiting($('messages-left'), d.messages);
    const agents = $('agents');
    agents.replaceChildren();
    d.agents.forEach((a) => {
      agents.append(text('li', a.name + ' · ' + (a.online ? a.status : 'offline') + ' · ' + a.load + '/' + a.capacity));
    });
    d.mine.forEach((line) => {
      const c = conversation(line.conversation, line.customerName);
      c.element.querySelector('.title').textContent = line.customerName + (line.email ? ' · ' + line.email : '');
      c.element.querySelector('.info').textContent = line.state === 'offered'
        ? 'Offered to you: accept or reply' : (line.customerHere ? 'Active' : 'Active · the customer is away');
      c.element.querySelector('.offer').hidden = line.state !== 'offered';
    });
    document.querySelectorAll('.transfer-to').forEach(fillTransferTargets);
    if (d.today) renderBoard(d);
  }

  function renderWaiting(list, lines) {
    list.replaceChildren();
    lines.forEach((line) => {
      const item = document.createElement('li');
      item.append(text('span', line.customerName + (line.department ? ' · ' + line.department : '')
        + ' · ' + since(line.queuedAt)));
      const take = text('button', 'Take', 'link small take');
      take.type = 'button';
      take.dataset.conversation = line.conversation;
      take.addEventListener('click', () => send({ type: 'take', conversation: line.conversation, cid: cid() }));
      item.append(take);
      list.append(item);
    });
  }

  function renderBoard(d) {
    $('board-tab').hidden = false;
    const f = d.today;
    const rows = [['Waited', f.waited], ['Answered', f.answered], ['Abandoned', f.abandoned],
      ['Average wait', f.averageWaitSeconds === undefined ? '–' : f.averageWaitSeconds + ' s'],
      ['Average handle time', f.averageHandleSeconds === undefined ? '–' : f.averageHandleSeconds + ' s'],
      ['CSAT', f.csat === undefined ? '–' : f.csat + ' / 5 (' + f.ratings + ')']];
    $('figures').replaceChildren(...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      tr.append(text('th', k), text('td', String(v)));
      return tr;
    }));
    $('all').replaceChildren(...d.all.map((line) => {
      const tr = document.createElement('tr');
      tr.append(text('td', line.customerName), text('td', line.state + (line.position ? ' #' + line.position : '')),
        text('td', line.agent || ''), text('td', since(line.queuedAt)));
      return tr;
    }));
  }

  function fillTransferTargets(select) {
    const chosen = select.value;
    select.replaceChildren(text('option', 'Back to the queue'));
    select.firstChild.value = '';
    (desk ? desk.agents : []).filter((a) => a.online && a.name !== me.name && a.load < a.capacity).forEach((a) => {
      const option = text('option', a.name);
      option.value = a.name;
      select.append(option);
    });
    select.value = chosen;
  }

  // ---- conversations side by side ----

  function conversation(id, customerName) {
    if (open.has(id)) return open.get(id);
    const element = $('conversation-template').content.firstElementChild.cloneNode(true);
    element.dataset.conversation = id;
    element.querySelector('.title').textContent = customerName || 'Customer';
    const c = { element: element, seen: new Set(), unread: 0, typing: TypingLine(element.querySelector('.typing')) };
    open.set(id, c);
    canned.forEach((reply) => {
      const option = text('option', reply);
      option.value = reply;
      element.querySelector('.canned').append(option);
    });
    fillTransferTargets(element.querySelector('.transfer-to'));
    element.querySelector('.canned').addEventListener('change', (e) => {
      if (e.target.value) element.querySelector('.reply').value = e.target.value;
      e.target.value = '';
    });
    element.querySelector('.say').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = element.querySelector('.reply');
      if (input.value && send({ type: 'say', conversation: id, text: input.value, cid: cid() })) input.value = '';
    });
    element.querySelector('.reply').addEventListener('input', () => {
      if (!c.typingSentAt || Date.now() - c.typingSentAt > 2000) {
        c.typingSentAt = Date.now();
        send({ type: 'typing', conversation: id });
      }
    });
    element.querySelector('.accept').addEventListener('click', () => send({ type: 'accept', conversation: id, cid: cid() }));
    element.querySelector('.close').addEventListener('click', () => send({ type: 'close', conversation: id, cid: cid() }));
    element.querySelector('.transfer').addEventListener('click', () => {
      const to = element.querySelector('.transfer-to').value;
      const frame = { type: 'transfer', conversation: id, cid: cid() };
      if (to) frame.to = to;
      send(frame);
    });
    element.addEventListener('click', () => {
      c.unread = 0;
      renderUnread(c);
    });
    $('conversations').append(element);
    return c;
  }

  function renderUnread(c) {
    const badge = c.element.querySelector('.unread');
    badge.textContent = String(c.unread);
    badge.hidden = c.unread === 0;
  }

  function entry(f) {
    const c = conversation(f.conversation);
    if (c.seen.has(f.offset)) return;
    c.seen.add(f.offset);
    const log = c.element.querySelector('.chat-log');
    const item = document.createElement('li');
    if (f.type === 'message') {
      c.typing.messageFrom(f.name || f.from);
      item.className = f.role === 'customer' ? '' : 'mine';
      item.append(text('span', f.name || f.from, 'meta'), text('span', f.text, 'text'));
      if (f.role === 'customer') {
        c.unread += 1;
        renderUnread(c);
        send({ type: 'read', conversation: f.conversation, offset: f.offset });
      }
    } else {
      item.className = 'event';
      item.append(text('span', f.event + (f.by ? ' by ' + f.by : '') + (f.to ? ' to ' + f.to : '')
        + (f.score ? ' · ' + f.score + '/5' : '') + (f.comment ? ' · ' + f.comment : ''), 'text'));
    }
    log.append(item);
    log.scrollTop = log.scrollHeight;
  }

  function onFrame(f) {
    switch (f.type) {
      case 'welcome':
        canned = f.canned || [];
        $('role').textContent = f.role;
        break;
      case 'desk': renderDesk(f); break;
      case 'transcript': conversation(f.conversation); break;
      case 'message': case 'event': entry(f); break;
      case 'released': {
        const c = open.get(f.conversation);
        if (c) {
          c.element.remove();
          open.delete(f.conversation);
        }
        break;
      }
      case 'typing': {
        const c = open.get(f.conversation);
        if (c) c.typing.typing(f.from);
        break;
      }
      case 'read': {
        const c = open.get(f.conversation);
        if (c) c.typing.show('Seen');
        break;
      }
      case 'error': {
        const c = f.conversation && open.get(f.conversation);
        $('login-error').textContent = f.message;
        if (c) c.element.querySelector('.info').textContent = f.message;
        break;
      }
      default: break;
    }
  }

  function connect() {
    $('login').hidden = true;
    $('console').hidden = false;
    $('me').textContent = me.name;
    socket = Switchboard.connect('ws/support', {
      protocols: () => ['switchboard', 'token.' + me.token]
    });
    socket.addEventListener('statechange', (e) => {
      $('state').textContent = e.detail.state;
      $('state').dataset.state = e.detail.state;
    });
    socket.addEventListener('message', (e) => {
      try { onFrame(JSON.parse(e.detail.data)); } catch (err) { /* not a frame of ours */ }
    });
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('login-button').disabled = true;
    fetch('api/support/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: $('agent-name').value.trim(), password: $('password').value })
    }).then((r) => r.json().then((body) => {
      if (!r.ok) throw new Error(body.message || 'Refused');
      me = { token: body.token, name: $('agent-name').value.trim(), role: body.role };
      sessionStorage.setItem(STORE, JSON.stringify(me));
      $('password').value = '';
      connect();
    })).catch((err) => {
      $('login-error').textContent = err.message;
    }).finally(() => { $('login-button').disabled = false; });
  });

  $('status').addEventListener('click', () => {
    const next = $('status').dataset.status === 'available' ? 'away' : 'available';
    send({ type: 'status', status: next, cid: cid() });
  });

  $('board-tab').addEventListener('click', () => { $('board').hidden = !$('board').hidden; });

  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem(STORE);
    if (socket) socket.close();
    location.reload();
  });

  if (me && me.token) connect();
})();
