package dev.switchboard.protocol;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbTransient;

/**
 * The one JSON message shape: a {@code type} and the fields that type uses. Absent fields are
 * left out of the JSON. Later features add their fields here, so every frame stays one shape.
 */
@JsonbPropertyOrder({"type", "code", "message", "cid", "id", "room", "offset", "since", "from", "to", "text", "ts", "user", "count", "members", "joins", "leaves", "rooms", "recovered", "epoch", "status", "expiresAt", "node"})
public class Envelope {

    private String type;
    /** Size of the frame this envelope was read from, in UTF-8 bytes; never written. */
    @JsonbTransient
    private long receivedBytes;
    private String code;
    private String message;
    /** Client id of a message, echoed in its ack or error. */
    private String cid;
    /** Server id of a message. */
    private String id;
    /** Room name. */
    private String room;
    /** Position of a message in its room, or the room's last position. */
    private Long offset;
    /** Last offset a client has seen, to recover what it missed. */
    private Long since;
    /** Sender (always the authenticated user). */
    private String from;
    /** Recipient of a whisper or typing notice. */
    private String to;
    /** Message text. */
    private String text;
    /** Server time of acceptance, epoch milliseconds. */
    private Long ts;
    /** The user a welcome is about. */
    private String user;
    /** How many members a room has. */
    private Integer count;
    /** Room members (in {@code joined}, the first ones by name, up to a limit). */
    private java.util.List<String> members;
    /** Users who became members of a room since the last presence frame. */
    private java.util.List<String> joins;
    /** Users who stopped being members of a room since the last presence frame. */
    private java.util.List<String> leaves;
    /** Rooms a connection is in. */
    private java.util.List<String> rooms;
    /** Whether a join with since got exactly what was missed. */
    private Boolean recovered;
    /** Which run of a room's offsets an offset belongs to; a join with since sends back the one it had. */
    private String epoch;
    /** Ack of a whisper: delivered or stored. */
    private String status;
    /** A client's fresh token in a {@code refresh}; read, never written (JSON-B skips it: no getter). */
    private String token;
    /** When a refreshed identity expires (ISO-8601). */
    private String expiresAt;
    /** The node a {@code welcome} comes from. */
    private String node;

    public Envelope() {
        // for JSON-B
    }

    public static Envelope of(MessageType type) {
        Envelope e = new Envelope();
        e.type = type.wireName();
        return e;
    }

    public static Envelope error(ErrorCode code, String message) {
        Envelope e = of(MessageType.ERROR);
        e.code = code.wireName();
        e.message = message;
        return e;
    }

    @JsonbTransient
    public long getReceivedBytes() {
        return receivedBytes;
    }

    @JsonbTransient
    public void setReceivedBytes(long receivedBytes) {
        this.receivedBytes = receivedBytes;
    }

    /** Whether this envelope is of the given type. */
    public boolean is(MessageType messageType) {
        return messageType.wireName().equals(type);
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getCid() {
        return cid;
    }

    public void setCid(String cid) {
        this.cid = cid;
    }

    public Envelope withCid(String cid) {
        this.cid = cid;
        return this;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public Envelope withId(String id) {
        this.id = id;
        return this;
    }

    public String getRoom() {
        return room;
    }

    public void setRoom(String room) {
        this.room = room;
    }

    public Envelope withRoom(String room) {
        this.room = room;
        return this;
    }

    public Long getOffset() {
        return offset;
    }

    public void setOffset(Long offset) {
        this.offset = offset;
    }

    public Envelope withOffset(Long offset) {
        this.offset = offset;
        return this;
    }

    public Long getSince() {
        return since;
    }

    public void setSince(Long since) {
        this.since = since;
    }

    public Envelope withSince(Long since) {
        this.since = since;
        return this;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public Envelope withFrom(String from) {
        this.from = from;
        return this;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public Envelope withTo(String to) {
        this.to = to;
        return this;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }

    public Envelope withText(String text) {
        this.text = text;
        return this;
    }

    public Long getTs() {
        return ts;
    }

    public void setTs(Long ts) {
        this.ts = ts;
    }

    public Envelope withTs(Long ts) {
        this.ts = ts;
        return this;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public Envelope withUser(String user) {
        this.user = user;
        return this;
    }

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public Envelope withCount(Integer count) {
        this.count = count;
        return this;
    }

    public java.util.List<String> getJoins() {
        return joins;
    }

    public void setJoins(java.util.List<String> joins) {
        this.joins = joins;
    }

    public Envelope withJoins(java.util.List<String> joins) {
        this.joins = joins;
        return this;
    }

    public java.util.List<String> getLeaves() {
        return leaves;
    }

    public void setLeaves(java.util.List<String> leaves) {
        this.leaves = leaves;
    }

    public Envelope withLeaves(java.util.List<String> leaves) {
        this.leaves = leaves;
        return this;
    }

    public java.util.List<String> getMembers() {
        return members;
    }

    public void setMembers(java.util.List<String> members) {
        this.members = members;
    }

    public Envelope withMembers(java.util.List<String> members) {
        this.members = members;
        return this;
    }

    public java.util.List<String> getRooms() {
        return rooms;
    }

    public void setRooms(java.util.List<String> rooms) {
        this.rooms = rooms;
    }

    public Envelope withRooms(java.util.List<String> rooms) {
        this.rooms = rooms;
        return this;
    }

    public Boolean getRecovered() {
        return recovered;
    }

    public void setRecovered(Boolean recovered) {
        this.recovered = recovered;
    }

    public Envelope withRecovered(Boolean recovered) {
        this.recovered = recovered;
        return this;
    }

    /** The token a {@code refresh} carries; not a bean getter, so it is never serialized back out. */
    public String token() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Envelope withExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
        return this;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public Envelope withNode(String node) {
        this.node = node;
        return this;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public Envelope withStatus(String status) {
        this.status = status;
        return this;
    }

    public String getEpoch() {
        return epoch;
    }

    public void setEpoch(String epoch) {
        this.epoch = epoch;
    }

    public Envelope withEpoch(String epoch) {
        this.epoch = epoch;
        return this;
    }

    @Override
    public String toString() {
        return FrameCodec.toJson(this);
    }
}
