// Parse an iCalendar feed from standard input with ical.js (Mozilla's parser, an independent
// client) and print what a calendar app would see, as JSON.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const calendar = new ICAL.Component(ICAL.parse(text));
const value = (name) => {
  const prop = calendar.getFirstProperty(name);
  return prop ? String(prop.getFirstValue()) : null;
};
const refresh = calendar.getFirstProperty("refresh-interval");
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    start: event.startDate.toString(),
    end: event.endDate.toString(),
    allDay: event.startDate.isDate,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    categories: component.getAllProperties("categories").flatMap((p) => p.getValues()),
    dtstamp: component.getFirstPropertyValue("dtstamp").toString(),
    lastModified: String(component.getFirstPropertyValue("last-modified")),
    location: event.location,
    url: component.getFirstPropertyValue("url"),
    transp: component.getFirstPropertyValue("transp"),
    startUtc: event.startDate.isDate ? null : event.startDate.toUnixTime(),
  };
});
console.log(JSON.stringify({
  name: value("x-wr-calname"),
  description: value("x-wr-caldesc"),
  calendarDescription: value("description"),
  refresh: refresh ? { value: String(refresh.getFirstValue()), type: refresh.type } : null,
  ttl: value("x-published-ttl"),
  events,
}));
