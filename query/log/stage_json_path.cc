#include "query/log/stage_json_path.h"

namespace fenrir::query {

namespace {

enum class Tok { kEnd, kField, kString, kIndex, kLsb, kRsb, kDot };

struct Lexer {
  std::string_view s;
  size_t i = 0;
  std::string err;

  static bool IsStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

  Tok Next(std::string* text, int* index) {
    while (i < s.size()) {
      char c = s[i];
      if (c == '\0') return Tok::kEnd;
      if (c == ' ' || c == '\t' || c == '\n') {
        ++i;
        continue;
      }
      if (c >= '0' && c <= '9') {
        std::string num;
        while (i < s.size()) {
          char d = s[i];
          if (d == '.' && !num.empty()) {
            err = "cannot use float as array index";
            return Tok::kEnd;
          }
          if (d == ' ' || d == '\t' || d == '\n' || d == '.' || d == ']') break;
          if (d < '0' || d > '9') {
            err = std::string("non-integer value: ") + d;
            return Tok::kEnd;
          }
          num.push_back(d);
          ++i;
        }
        if (num.size() > 9) {
          err = "strconv.Atoi: parsing \"" + num + "\": value out of range";
          return Tok::kEnd;
        }
        *index = std::stoi(num);
        return Tok::kIndex;
      }
      ++i;
      if (c == '[') return Tok::kLsb;
      if (c == ']') return Tok::kRsb;
      if (c == '.') return Tok::kDot;
      if (IsStart(c)) {
        text->assign(1, c);
        while (i < s.size() && (IsStart(s[i]) || (s[i] >= '0' && s[i] <= '9'))) text->push_back(s[i++]);
        return Tok::kField;
      }
      if (c == '"') {
        text->clear();
        while (i < s.size() && s[i] != '"' && s[i] != ']' && s[i] != '\0') text->push_back(s[i++]);
        if (i < s.size() && s[i] == '"') ++i;  // the closing quote; a ']' is left for the parser
        return Tok::kString;
      }
      err = std::string("unexpected char ") + c;
      return Tok::kEnd;
    }
    return Tok::kEnd;
  }
};

// Finds member `key` of the object `obj`.
bool FindMember(std::string_view obj, std::string_view key, std::string_view* raw, json::Type* type,
                std::string_view* err) {
  bool found = false;
  std::string_view e = json::ObjectEach(obj, [&](std::string_view k, std::string_view v,
                                                 json::Type t) -> std::string_view {
    if (k == key) {
      *raw = v;
      *type = t;
      found = true;
      return "stop";
    }
    return {};
  });
  if (!found && !e.empty()) *err = {};
  return found;
}

}  // namespace

Result<JsonPath> ParseJsonPath(std::string_view expr) {
  Lexer lx{expr};
  JsonPath path;
  std::string text;
  int index = 0;
  Tok t = lx.Next(&text, &index);
  auto syntax = [&](std::string_view what) -> Status {
    if (!lx.err.empty()) return Status::InvalidArgument(lx.err);
    return Status::InvalidArgument("syntax error: unexpected " + std::string(what));
  };
  if (t == Tok::kEnd) return syntax("$end");
  bool first = true;
  while (t != Tok::kEnd) {
    if (t == Tok::kField && first) {
      path.push_back(JsonPathSegment{false, text, 0});
    } else if (t == Tok::kDot && !first) {
      t = lx.Next(&text, &index);
      if (t != Tok::kField) return syntax("token after '.'");
      path.push_back(JsonPathSegment{false, text, 0});
    } else if (t == Tok::kLsb) {
      t = lx.Next(&text, &index);
      if (t == Tok::kString) {
        path.push_back(JsonPathSegment{false, text, 0});
      } else if (t == Tok::kIndex) {
        path.push_back(JsonPathSegment{true, "", index});
      } else {
        return syntax("token after '['");
      }
      if (lx.Next(&text, &index) != Tok::kRsb) return syntax("token, expecting ]");
    } else {
      return syntax("token");
    }
    first = false;
    t = lx.Next(&text, &index);
  }
  if (!lx.err.empty()) return Status::InvalidArgument(lx.err);
  return path;
}

std::string_view LookupJsonPath(std::string_view data, const JsonPath& path, std::string_view* raw,
                                json::Type* type) {
  *type = json::Type::kNotExist;
  std::string_view cur = data;
  json::Type cur_type = json::Type::kUnknown;
  size_t end;
  std::string_view err = json::GetValue(data, &cur, &cur_type, &end);
  if (!err.empty()) return {};
  for (const auto& seg : path) {
    std::string_view next;
    json::Type next_type = json::Type::kNotExist;
    if (seg.is_index) {
      if (cur_type != json::Type::kArray) return {};
      int i = 0;
      bool found = false;
      json::ArrayEach(cur, [&](std::string_view v, json::Type t) {
        if (i++ == seg.index) {
          next = v;
          next_type = t;
          found = true;
          return false;
        }
        return true;
      });
      if (!found) return {};
    } else {
      if (cur_type != json::Type::kObject) return {};
      std::string_view e;
      if (!FindMember(cur, seg.key, &next, &next_type, &e)) return {};
    }
    cur = next;
    cur_type = next_type;
  }
  *raw = cur;
  *type = cur_type;
  return {};
}

}  // namespace fenrir::query
